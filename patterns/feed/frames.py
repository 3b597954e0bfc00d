"""One decoder for every frame a page sends over a WebSocket (the feed, the streams).

A frame is a small JSON object. Python's JSON parser recurses once per level of nesting: a frame
of a thousand opening brackets (2 KB) raised RecursionError inside the consumer, which killed it
without a goodbye (the page saw 1011, its presence stayed counted). So the nesting is measured
before parsing, and the parser never sees a frame deeper than MAX_DEPTH. NaN and Infinity are
not JSON (and "1e999" would become one): they are refused too, as anything other than an object.
"""

import json
import math
import re

MAX_BYTES = 4096  # a page's frames are a few dozen bytes; anything this size is not one
MAX_DEPTH = 8  # the deepest frame any consumer reads is 3 levels ({"streams": {"chat": {…}}})

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class BadFrame(ValueError):
    def __init__(self, code, detail):
        super().__init__(detail)
        self.code, self.detail = code, detail


def decode(text=None, data=None, max_bytes=MAX_BYTES):
    """The frame as a dict, or BadFrame(code, detail) saying what is wrong with it."""
    raw = text if text is not None else data
    if not raw:
        raise BadFrame("empty_frame", "an empty frame carries nothing; send a JSON object")
    size = len(raw.encode()) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise BadFrame("frame_too_large", f"frames are limited to {max_bytes} bytes")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode()
        except UnicodeDecodeError:
            raise BadFrame("bad_frame", "frames must be UTF-8 JSON objects") from None
    if depth(raw) > MAX_DEPTH:
        raise BadFrame("frame_too_deep", f"frames may nest at most {MAX_DEPTH} levels deep")
    try:
        content = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except ValueError as exc:  # JSONDecodeError, and the refusals below
        raise BadFrame("bad_frame", f"frames must be JSON objects ({exc})") from None
    if not isinstance(content, dict):
        raise BadFrame("bad_frame", "frames must be JSON objects")
    return content


def depth(text):
    """How deeply the brackets of `text` nest, outside its strings (an upper bound if it is not JSON)."""
    deepest = level = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value
