"""record(): the one way a message enters the ledger.

Writers are serialised (SQLite does it with IMMEDIATE transactions; on PostgreSQL an advisory
lock does it), so ledger ids become visible in order. That is what lets a page treat "the last
id I saw" as a complete cursor: no smaller id can commit later and be skipped.
"""

import functools

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from patterns.contracts import registry as contracts

from . import columns
from .models import Message, new_uid
from .roomctx import current_room
from .safejson import encodable

FIELDS = {f.name for f in Message._meta.get_fields()} - {"id", "created_at", "latency_ms"}
ADVISORY_LOCK_KEY = 7_310_015  # any constant: one lock for all ledger writers


def _serialise_writers():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def storable(value):
    """`value` as every database stores it: PostgreSQL refuses NUL (\\u0000) in text and JSON, so
    it goes, and a lone surrogate (which nothing encodes) becomes "?" — a message carrying one (a
    hostile upload, a fuzzed request) is still recorded."""
    if isinstance(value, str):
        value = value.replace("\x00", "") if "\x00" in value else value
        return value if encodable(value) else value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


# Told of every room's rows once they are committed: the live feed's doorbell registers itself
# here (patterns.feed), so the ledger knows nothing of pages.
listeners = []


def _announce(prev_id, rows, room):
    for listener in listeners:
        listener(prev_id, rows, room)


@functools.cache
def style_keys():
    """The installed styles' keys (each style app's declared card), the names other apps record
    under, and "ping", the home page's small demo exchange. Read from Django's app registry, so the ledger imports no style."""
    configs = apps.get_app_configs()
    # An app that is not a style may still record under a name of its own (`ledger_style`).
    own = {c.ledger_style for c in configs if getattr(c, "ledger_style", None)}
    return frozenset(c.card.key for c in configs if hasattr(c, "card")) | own | {"ping"}


def _build(fields):
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"record() got unknown fields: {sorted(unknown)}")
    if fields.get("style") not in style_keys():
        raise ValueError(f"unknown style {fields.get('style')!r}")
    for name in ("kind", "hop", "source", "target"):
        if not fields.get(name):
            raise ValueError(f"record() needs {name}")
    fields = storable(fields)
    fields.setdefault("uid", new_uid())
    fields.setdefault("correlation_id", fields["uid"])
    if fields.get("status", "ok") not in Message.Status.values:
        raise ValueError(f"unknown status {fields['status']!r}")
    if fields.get("contract") and fields.get("valid") is None:
        fields["valid"], problem = contracts.check(fields["contract"], fields.get("payload") or {})
        if problem and not fields.get("error"):
            fields["error"] = f"contract {fields['contract']}: {problem}"
    message = Message(**fields)
    columns.check(message, json_fields=False)  # storable() made those fit
    return message


def _stamp(messages, now):
    for msg in messages:
        msg.created_at = now
        if msg.sent_at:
            msg.latency_ms = round((now - msg.sent_at).total_seconds() * 1000, 3)


# Hand-written SQL for the two reads every record() makes: they run under the writers' lock, and
# the ORM's query building was two thirds of record()'s time (bench/ledger.py).
TABLE = Message._meta.db_table


def _last_ids(rooms):
    """The largest id per room (each room's pages chain their cursor through these)."""
    with connection.cursor() as cursor:
        found = {}
        for room in rooms:
            cursor.execute(f"SELECT MAX(id) FROM {TABLE} WHERE room = %s", [room])
            found[room] = cursor.fetchone()[0] or 0
        return found


def _with_rooms(entries):
    """Give every entry its room: its own `room`, else the current context's (roomctx), else —
    for work picked up without a context (a sweeper, a receiver) — the room of its exchange."""
    context = current_room.get()
    orphans = []
    for fields in entries:
        if not fields.get("room"):  # room="" from a caller means "not said", as it always did
            if context is not None:
                fields["room"] = context
            elif fields.get("correlation_id"):
                orphans.append(fields)
    if orphans:
        cids = {f["correlation_id"] for f in orphans}
        known = dict(
            Message.objects.filter(correlation_id__in=cids)
            .exclude(room="")
            .order_by("-id")
            .values_list("correlation_id", "room")
        )
        for fields in orphans:
            fields["room"] = known.get(fields["correlation_id"], "")
    return entries


def _existing(uids):
    """The rows already recorded with these uids (usually none: then no second query)."""
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            cursor.execute(
                f"SELECT uid FROM {TABLE} WHERE uid IN ({', '.join(['%s'] * len(chunk))})", chunk
            )
            found += [row[0] for row in cursor.fetchall()]
    return Message.objects.in_bulk(found, field_name="uid") if found else {}


COLUMNS = [f for f in Message._meta.concrete_fields if not f.primary_key]


def _insert(messages):
    """INSERT … RETURNING id, as bulk_create does, from a statement built once per batch size:
    bulk_create compiled it anew through the ORM for every batch, a third of the group commit's
    time under bench/api.py. Not through DEBUG's query log either: nobody reads a writer
    thread's, and formatting a batch's INSERT for it cost as much again."""
    if not connection.features.can_return_rows_from_bulk_insert:
        Message.objects.bulk_create(messages)
        return
    per_statement = max(1, (connection.features.max_query_params or 10_000) // len(COLUMNS))
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.create_cursor()
        try:
            for start in range(0, len(messages), per_statement):
                chunk = messages[start : start + per_statement]
                params = [
                    f.get_db_prep_save(getattr(m, f.attname), connection)
                    for m in chunk
                    for f in COLUMNS
                ]
                cursor.execute(_insert_sql(connection.vendor, len(chunk)), params)
                for message, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    message.id = pk
                    message._state.adding, message._state.db = False, connection.alias
        finally:
            cursor.close()


@functools.cache
def _insert_sql(vendor, rows):
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    return (
        f"INSERT INTO {quote(TABLE)} ({', '.join(quote(f.column) for f in COLUMNS)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {quote('id')}"
    )


def record(**fields):
    """Record one hop and ring the doorbell after commit. Returns the row.

    Fields are those of `Message` (style, kind, hop, source, target are required). Recording a
    `uid` that is already in the ledger changes nothing and returns the existing row, with
    `.created` False.
    """
    return record_many([fields])[0]


def record_many(entries):
    """Record several hops in one transaction (one commit, one doorbell): for high rates."""
    built = [_build(fields) for fields in _with_rooms([dict(fields) for fields in entries])]
    with transaction.atomic():
        _serialise_writers()
        _stamp(built, timezone.now())  # under the writers' lock: created_at grows with the id
        existing = _existing([m.uid for m in built])
        fresh, seen = [], set(existing)
        for msg in built:  # a uid repeated within the batch is recorded once, too
            if msg.uid not in seen:
                seen.add(msg.uid)
                fresh.append(msg)
        if fresh:
            prev_ids = _last_ids(sorted({m.room for m in fresh}))
            _insert(fresh)
            for room, prev_id in prev_ids.items():
                rows = [m for m in fresh if m.room == room]
                transaction.on_commit(
                    lambda prev_id=prev_id, rows=rows, room=room: _announce(prev_id, rows, room)
                )
    for row in fresh:
        row.created = True
    for row in existing.values():
        row.created = False
    by_uid = {**existing, **{m.uid: m for m in fresh}}
    return [by_uid[m.uid] for m in built]
