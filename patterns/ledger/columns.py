"""Column limits, checked before writing: text longer than its column, or with characters no
database stores (NUL, which PostgreSQL refuses in text and JSON; a lone surrogate), is refused as
a 400 naming the field — the same answer on SQLite (which would store it) and PostgreSQL (which
would fail with a 500).

Caller-chosen values (ids, keys, names) are checked where they come in, with their own rules;
this is the one place behind all of them: every model save (a pre_save signal, connected in
LedgerConfig.ready) and every ledger row (record() writes with bulk_create, which sends none).
"""

import functools

from django.db.models import CharField, JSONField, TextField

from .errors import ApiError
from .safejson import encodable, strings


def _problem(text, limit):
    if limit and len(text) > limit:
        return f"at most {limit} characters (this one has {len(text)})"
    if "\x00" in text:
        return "may not contain a NUL character"
    if not encodable(text):
        return "may not contain a lone surrogate"
    return None


@functools.cache
def _text_fields(model):
    """(name, attname, max_length, is JSON) of the model's fields that hold text."""
    return [
        (f.name, f.attname, getattr(f, "max_length", None), isinstance(f, JSONField))
        for f in model._meta.concrete_fields
        if isinstance(f, (CharField, TextField, JSONField))
    ]


def check(instance, json_fields=True):
    """Raise ApiError(400, "unstorable") for the first field the database would not keep."""
    for name, attname, limit, is_json in _text_fields(type(instance)):
        value = getattr(instance, attname, None)
        if is_json:
            texts = [(text, None) for text in strings(value)] if json_fields else []
        else:
            texts = [(value, limit)] if isinstance(value, str) else []
        for text, most in texts:
            if problem := _problem(text, most):
                raise ApiError(400, "unstorable", f"{name}: {problem}", name)


def before_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load as they are
        check(instance)
