"""JSON read within limits, so what json.loads would choke on — or let through to crash later —
is a 400 saying why, before anything else sees it:

- nesting deeper than MAX_DEPTH: json.loads recurses into a RecursionError, and deep values break
  whatever walks them next (pydantic, the contracts, the ledger's encoder). Counted before parsing,
  in one pass over the text without its strings;
- NaN and Infinity (and 1e400, which Python reads as infinity): not JSON, and both databases'
  JSON refuses them (the row, and with it the exchange, was lost);
- numbers longer than MAX_INT_DIGITS: Python refuses a 4,300-digit integer with a ValueError;
- a lone surrogate (\\ud800 without its pair): nothing can encode it — not pydantic, not a
  database, not a log line;
- bytes that are not UTF-8.

A NUL is fine to read; what would store one is refused where it is stored (columns.py), and the
ledger drops it (recorder.storable).
"""

import json
import re

from .errors import ApiError

MAX_DEPTH = 64
MAX_INT_DIGITS = 40  # a 128-bit integer has 39 (and a float never needs more)


class BodyRefused(ApiError):
    pass


# Strings, each with what follows it up to the next bracket, digit or string (nothing that counts),
# so a run of them goes in one match; an unclosed string runs to the end: no backtracking.
_STRINGS = re.compile(rb'(?:"(?:[^"\\]++|\\.)*+"?[^"\[\]{}0-9]*+)++', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = frozenset(b"[{")
_LONG_NUMBER = re.compile(rb"\d{%d}" % (MAX_INT_DIGITS + 1))
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _depth(bare):
    """The deepest nesting of `bare` (JSON without its strings), counted up to one past MAX_DEPTH."""
    depth = deepest = 0
    for byte in bare.translate(None, _NOT_BRACKETS):
        depth += 1 if byte in _OPEN else -1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                break
    return deepest


def _refuse(detail):
    raise BodyRefused(400, "invalid_json", detail)


def _float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        _refuse(f"the number {text[:20]}… is too large")
    return value


def _constant(name):
    _refuse(f"{name} is not JSON (a number must be finite)")


def strings(value):
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def encodable(text):
    """False for text with a lone surrogate, which no UTF-8 database, response or log can carry."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(value):
    if not all(encodable(text) for text in strings(value)):
        _refuse("text may not contain a lone surrogate (\\ud800–\\udfff without its pair)")


def loads(raw):
    """JSON bytes (or text) → value, within the limits above; BodyRefused otherwise."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    bare = _STRINGS.sub(b"", raw)  # what is left is checked before json.loads sees it
    if _depth(bare) > MAX_DEPTH:
        _refuse(f"the body is nested more than {MAX_DEPTH} levels deep")
    if _LONG_NUMBER.search(bare):
        _refuse(f"a number may have at most {MAX_INT_DIGITS} digits")
    try:
        text = raw.decode("utf-8")
        value = json.loads(text, parse_float=_float, parse_constant=_constant)
    except UnicodeDecodeError as exc:
        _refuse(f"the body is not UTF-8 (byte {exc.start})")
    except json.JSONDecodeError as exc:
        _refuse(f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except (
        ValueError,
        RecursionError,
    ) as exc:  # the checks above should leave none: refused all the same
        _refuse(f"the body cannot be read as JSON ({type(exc).__name__})")
    if _SURROGATE_ESCAPE.search(text):
        _check_text(value)
    return value
