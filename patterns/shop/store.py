"""Shop's own data access: the only code that knows Shop's tables, and it follows every change.

It returns the *agreed* view of Shop's data — the fields Shop's API promises — never password
hashes or card digits. Queries are SQL because the schema changes while the demo runs
(`schema.py`); the expressions below follow whichever changes are applied.
"""

from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import schema

DB = schema.DB
STATUSES = tuple(schema.STATUS_CODES)
# Which status may follow which: anything else is an impossible transition (409 in the API).
TRANSITIONS = {
    "pending": {"paid", "cancelled"},
    "paid": {"shipped", "refunded", "cancelled"},
    "shipped": {"delivered"},
    "delivered": {"refunded"},
    "cancelled": set(),
    "refunded": set(),
}
CENTS = Decimal("0.01")


class NotFound(LookupError):
    pass


class BadTransition(ValueError):
    pass


def _status_expr(changes):
    if "change_type" in changes:
        return (
            "CASE o.status_code "
            + " ".join(f"WHEN {v} THEN '{k}'" for k, v in schema.STATUS_CODES.items())
            + " END"
        )
    return "o.status"


def _order_select(changes):
    total = "o.amount_cents / 100.0" if "rename_column" in changes else "o.total"
    return (
        f"SELECT o.id, o.customer_id, {total}, o.currency, {_status_expr(changes)}, o.created_at, o.updated_at "
        "FROM shop_order o"
    )


def _when(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value


def _order(row):
    return {
        "id": row[0],
        "customer_id": row[1],
        "total": str(Decimal(str(row[2])).quantize(CENTS, ROUND_HALF_UP)),
        "currency": row[3],
        "status": row[4],
        "created_at": _when(row[5]).isoformat(),
        "updated_at": _when(row[6]).isoformat(),
    }


def _fetch(sql, params):
    with connections[DB].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def list_orders(*, status=None, customer_id=None, since=None, after_id=0, limit=50):
    """Orders in id order, after `after_id` (a stable cursor), optionally filtered."""
    changes = schema.applied()
    where, params = ["o.id > %s"], [after_id]
    if status:
        where.append(f"{_status_expr(changes)} = %s")
        params.append(status)
    if customer_id:
        where.append("o.customer_id = %s")
        params.append(customer_id)
    if since:
        where.append("o.created_at >= %s")
        params.append(connections[DB].ops.adapt_datetimefield_value(since))
    sql = f"{_order_select(changes)} WHERE {' AND '.join(where)} ORDER BY o.id LIMIT %s"
    return [_order(r) for r in _fetch(sql, [*params, limit])]


def get_order(order_id):
    rows = _fetch(f"{_order_select(schema.applied())} WHERE o.id = %s", [order_id])
    if not rows:
        raise NotFound(f"no order {order_id}")
    return _order(rows[0])


def iter_orders(batch=1000):
    """Every order, streamed in batches (for exports)."""
    after = 0
    while rows := list_orders(after_id=after, limit=batch):
        yield from rows
        after = rows[-1]["id"]


def create_order(customer_id, total, currency="EUR"):
    """A new pending order. `total` in euros (Decimal or str)."""
    changes, ops, now = schema.applied(), connections[DB].ops, timezone.now()
    get_customer(customer_id)
    amount = Decimal(str(total)).quantize(CENTS, ROUND_HALF_UP)
    column, value = (
        ("amount_cents", int(amount * 100))
        if "rename_column" in changes
        else ("total", str(amount))
    )
    status_col, status = (
        ("status_code", schema.STATUS_CODES["pending"])
        if "change_type" in changes
        else ("status", "pending")
    )
    stamp = ops.adapt_datetimefield_value(now)
    with connections[DB].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO shop_order (customer_id, {column}, currency, {status_col}, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            [customer_id, value, currency, status, stamp, stamp],
        )
        return get_order(cursor.fetchone()[0])


def change_status(order_id, new_status):
    """Move an order to `new_status`; BadTransition if Shop's rules do not allow it."""
    with transaction.atomic(using=DB):
        order = get_order(order_id)
        if new_status not in TRANSITIONS.get(order["status"], ()):
            allowed = ", ".join(sorted(TRANSITIONS[order["status"]])) or "nothing (it is final)"
            raise BadTransition(
                f"an order that is {order['status']} cannot become {new_status}; it can become: {allowed}"
            )
        changes = schema.applied()
        column, value = (
            ("status_code", schema.STATUS_CODES[new_status])
            if "change_type" in changes
            else ("status", new_status)
        )
        stamp = connections[DB].ops.adapt_datetimefield_value(timezone.now())
        with connections[DB].cursor() as cursor:
            cursor.execute(
                f"UPDATE shop_order SET {column} = %s, updated_at = %s WHERE id = %s",
                [value, stamp, order_id],
            )
        return get_order(order_id)


def _customer_select(changes):
    place = (
        "a.city, a.country FROM shop_customer c JOIN shop_customer_address a ON a.customer_id = c.id"
        if "split_table" in changes
        else "c.city, c.country FROM shop_customer c"
    )
    return f"SELECT c.id, c.name, c.created_at, {place}"


def _customer(row):
    return {
        "id": row[0],
        "name": row[1],
        "customer_since": _when(row[2]).date().isoformat(),
        "city": row[3],
        "country": row[4],
    }


def list_customers(*, after_id=0, limit=50):
    sql = f"{_customer_select(schema.applied())} WHERE c.id > %s ORDER BY c.id LIMIT %s"
    return [_customer(r) for r in _fetch(sql, [after_id, limit])]


def get_customer(customer_id):
    rows = _fetch(f"{_customer_select(schema.applied())} WHERE c.id = %s", [customer_id])
    if not rows:
        raise NotFound(f"no customer {customer_id}")
    return _customer(rows[0])
