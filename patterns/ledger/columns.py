"""Column limits, checked before writing: text longer than its column, or with characters no
database stores (NUL, which PostgreSQL refuses in text and JSON; a lone surrogate), is refused as
a 400 naming the field — the same answer on SQLite (which would store it) and PostgreSQL (which
would fail with a 500).

Caller-chosen values (ids, keys, names) are checked where they come in, with their own rules;
this is the one place behind all of them: every model save (a pre_save signal, connected in
LedgerConfig.ready) and every ledger row (record() writes with bulk_create, which sends none).
"""

from django.db.models import JSONField

from .safejson import encodable, strings
from .errors import ApiError


def _problem(text, limit):
    if limit and len(text) > limit:
        return f"at most {limit} characters (this one has {len(text)})"
    if "\x00" in text:
        return "may not contain a NUL character"
    if not encodable(text):
        return "may not contain a lone surrogate"
    return None


def _texts(field, value):
    if isinstance(value, str):
        yield value, getattr(field, "max_length", None)
    elif isinstance(field, JSONField):
        for text in strings(value):
            yield text, None


def check(instance, json_fields=True):
    """Raise ApiError(400, "unstorable") for the first field the database would not keep."""
    for field in instance._meta.concrete_fields:
        if not json_fields and isinstance(field, JSONField):
            continue
        for text, limit in _texts(field, getattr(instance, field.attname, None)):
            if problem := _problem(text, limit):
                raise ApiError(400, "unstorable", f"{field.name}: {problem}", field.name)


def before_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load as they are
        check(instance)
