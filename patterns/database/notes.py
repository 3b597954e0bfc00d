"""What this style writes to the ledger: one message per query, API call, console try or schema change.

Kinds: report.query (Reporting → Shop's database), report.api_call (Reporting → Shop's API),
console.query / console.lookup (You → Shop's database), schema.change (Shop → its database).
A caller may pass a `request_id`; the message's uid derives from it, so a retried request adds
no second row.
"""

import hashlib

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record, record_many

STYLE = "database"


def _uid(prefix, request_id):
    """A uid of at most 40 characters (the ledger allows 64), the same for the same request id."""
    if not request_id:
        return new_uid()
    return "db-" + hashlib.sha256(f"{prefix}:{request_id}".encode()).hexdigest()[:32]


def dashboard_entries(via, panels, calls, request_id=None):
    """The ledger entries of one dashboard refresh, sharing one correlation id."""
    correlation = _uid(f"dash-{via}", request_id)
    if via == "direct":
        return [
            {
                "style": STYLE,
                "kind": "report.query",
                "hop": "query",
                "source": "reporting",
                "target": "shop-db",
                "uid": f"{correlation}-q{n}",
                "correlation_id": correlation,
                "contract": "database.report_query",
                "status": "ok" if p["ok"] else "error",
                "error": p["error"],
                "duration_ms": p["duration_ms"],
                "payload": {
                    "panel": panel,
                    "sql": p["sql"],
                    "params": p.get("params", {}),
                    "rows": p["rows"],
                },
            }
            for n, (panel, p) in enumerate(panels.items())
        ]
    return [
        {
            "style": STYLE,
            "kind": "report.api_call",
            "hop": "GET",
            "source": "reporting",
            "target": "shop-api",
            "uid": f"{correlation}-c{n}",
            "correlation_id": correlation,
            "contract": "database.api_call",
            "status": "ok" if c["status"] == 200 else "error",
            "status_code": c["status"] or None,
            "error": c["error"],
            "duration_ms": c["duration_ms"],
            "payload": {
                "method": c["method"],
                "path": c["path"],
                "status": c["status"],
                "rows": c["rows"],
                "fields": c["fields"],
            },
        }
        for n, c in enumerate(calls)
    ]


def record_dashboard(via, panels, calls, request_id=None):
    entries = dashboard_entries(via, panels, calls, request_id)
    return record_many(entries) if entries else []


def record_console(
    kind, payload, *, ok, error="", status_code=None, duration_ms=None, request_id=None
):
    contract = {"console.query": "database.console_query", "console.lookup": "database.lookup"}[
        kind
    ]
    return record(
        style=STYLE,
        kind=kind,
        hop="query",
        source="console",
        target="shop-db",
        uid=_uid(kind.replace(".", "-"), request_id),
        contract=contract,
        payload=payload,
        status="ok" if ok else "error",
        error=error,
        status_code=status_code,
        duration_ms=duration_ms,
    )


def record_schema_change(payload, request_id=None):
    return record(
        style=STYLE,
        kind="schema.change",
        hop="migrate",
        source="shop",
        target="shop-db",
        uid=_uid("schema", request_id),
        contract="database.schema_change",
        payload=payload,
    )
