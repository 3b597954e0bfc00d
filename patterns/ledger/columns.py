"""Column limits, checked before writing: text longer than its column, or with characters no
database stores (NUL; a lone surrogate), is refused as a 400 naming the field — the same answer
on SQLite (which would store it) and PostgreSQL (which would fail with a 500).

Caller-chosen values (ids, keys, names) are checked where they come in, with their own rules;
this is the one place behind all of them: every model save (a pre_save signal, connected in
LedgerConfig.ready) and every ledger row (record() writes with bulk_create, which sends none).
"""

from .errors import ApiError


def _problem(text, limit):
    if limit and len(text) > limit:
        return f"at most {limit} characters (this one has {len(text)})"
    if "\x00" in text:
        return "may not contain a NUL character"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "may not contain a lone surrogate"
    return None


def check(instance):
    """Raise ApiError(400, "unstorable") for the first text field the database would not keep."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str):
            problem = _problem(value, getattr(field, "max_length", None))
            if problem:
                raise ApiError(400, "unstorable", f"{field.name}: {problem}", field.name)


def before_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load as they are
        check(instance)
