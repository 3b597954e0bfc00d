"""Reporting, the risky way: its dashboard is SQL run straight against Shop's tables.

Each query knows Shop's internals — `total` is in euros, `status` is a word, a customer's `city`
sits on the customer row — which is exactly what breaks when Shop ships a change. Every query is
a ledger message: the SQL, the rows it returned, how long it took, and the database's own error.
"""

from datetime import UTC, datetime, time
from decimal import Decimal

from django.db import connections

from . import reader
from .failures import Failure

REVENUE_TODAY = """SELECT COUNT(*) AS orders, SUM(total) AS revenue
FROM shop_order
WHERE created_at >= :today"""

ORDERS_BY_STATUS = """SELECT status, COUNT(*) AS orders
FROM shop_order o
JOIN shop_customer c ON c.id = o.customer_id
WHERE c.name NOT LIKE 'Test %'  -- leave out Shop's staff test accounts
GROUP BY status
ORDER BY status"""

TOP_CUSTOMERS = """SELECT c.name, c.city, COUNT(*) AS orders, SUM(o.total) AS spent
FROM shop_order o
JOIN shop_customer c ON c.id = o.customer_id
GROUP BY c.id, c.name, c.city
ORDER BY spent DESC, c.id
LIMIT 5"""

PANELS = {  # panel -> (title, SQL)
    "revenue_today": ("Revenue today", REVENUE_TODAY),
    "orders_by_status": ("Orders by status", ORDERS_BY_STATUS),
    "top_customers": ("Top customers", TOP_CUSTOMERS),
}
CENTS = Decimal("0.01")


def start_of_today():
    return datetime.combine(datetime.now(UTC).date(), time.min, tzinfo=UTC)


def euros(value):
    """Money as a string with two decimals, whatever number type the database returned."""
    return str(Decimal(str(value or 0)).quantize(CENTS))


def _shape(panel, result):
    rows = result.rows
    if panel == "revenue_today":
        return {"orders": rows[0][0], "revenue": euros(rows[0][1])}
    if panel == "orders_by_status":
        return [{"status": status, "orders": n} for status, n in rows]
    return [{"name": n, "city": c, "orders": k, "spent": euros(s)} for n, c, k, s in rows]


def _params(panel):
    if panel != "revenue_today":
        return {}
    # The same text form Shop's own code writes (SQLite keeps datetimes as text).
    return {"today": connections[reader.DB].ops.adapt_datetimefield_value(start_of_today())}


def run_panel(conn, panel):
    title, sql = PANELS[panel]
    params = _params(panel)
    out = {
        "title": title,
        "sql": sql,
        "params": {k: reader.plain(v) for k, v in params.items()},
        "ok": True,
        "value": None,
        "rows": 0,
        "error": "",
        "duration_ms": 0.0,
    }
    try:
        result = reader.run(conn, sql, params)
    except Failure as exc:
        return {**out, "ok": False, "error": exc.database_error}
    return {
        **out,
        "value": _shape(panel, result),
        "rows": len(result.rows),
        "duration_ms": result.duration_ms,
    }


def dashboard():
    """Every panel, straight from Shop's tables (blocking: run it in reader.POOL from async code)."""
    try:
        with reader.session() as conn:
            return {panel: run_panel(conn, panel) for panel in PANELS}
    except Failure as exc:  # Shop's database cannot be reached at all
        return {
            panel: {
                "title": PANELS[panel][0],
                "sql": PANELS[panel][1],
                "params": {},
                "ok": False,
                "value": None,
                "rows": 0,
                "error": exc.database_error,
                "duration_ms": 0.0,
            }
            for panel in PANELS
        }
