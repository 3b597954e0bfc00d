"""Shop ships a change: a real migration of Shop's own tables (patterns.shop.schema), recorded.

Shop's own code follows the change (it shipped them together); Reporting's SQL does not. Changes
are serialised here, so a room full of learners pressing the same button runs each migration once.
"""

from django.db import connections, transaction

from patterns.shop import schema
from patterns.shop.models import Customer, Order

from . import notes

RESTORE = "restore"
LOCK_KEY = 7_310_017


def describe():
    """Shop's schema now: its tables and columns, which changes are applied, and what each does."""
    applied = schema.applied()
    return {
        "tables": schema.describe(),
        "original": {
            m._meta.db_table: [f.column for f in m._meta.concrete_fields] for m in (Customer, Order)
        },
        "applied": sorted(applied, key=list(schema.CHANGES).index),
        "changes": [
            {
                "name": c.name,
                "title": c.title,
                "explanation": c.explanation,
                "applied": c.name in applied,
            }
            for c in schema.CHANGES.values()
        ],
    }


def _serialise():
    # SQLite serialises with its IMMEDIATE transactions; PostgreSQL needs a lock, since two
    # requests would both see "not applied" and the second ALTER would fail half-way.
    if connections[schema.DB].vendor == "postgresql":
        with connections[schema.DB].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def ship(name, request_id=None):
    """Apply change `name` (or `restore` them all). Returns (ran, describe() plus the ledger message's
    id). Unknown names: KeyError."""
    if name != RESTORE and name not in schema.CHANGES:
        raise KeyError(name)
    with transaction.atomic(using=schema.DB):
        _serialise()
        ran = bool(schema.restore()) if name == RESTORE else schema.apply(name)
    state = describe()
    title = "Restore Shop's original schema" if name == RESTORE else schema.CHANGES[name].title
    message = notes.record_schema_change(
        {"change": name, "title": title, "ran": ran, "tables": state["tables"]}, request_id
    )
    return ran, {**state, "message_id": message.id}
