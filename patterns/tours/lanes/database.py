"""A direct database read: Reporting walks straight into Shop's tables every story hour."""

import time
from datetime import UTC, datetime

from . import register
from .base import Lane, LaneResult, Poller, poll_interval

SQL = "SELECT id, status, total FROM shop_order WHERE id = {order_id}"


class DirectRead(Lane, Poller):
    key = "database"
    title = "Direct database read"
    consumer = "Reporting"
    how = "Reporting runs SQL straight against Shop's order table every story hour."
    coupling = 5
    coupling_text = "Tight: Reporting depends on Shop's table and column names; any migration Shop ships can break it."
    fault = "Column renamed"
    fault_key = "column_renamed"
    idle_cost = "24 reads a day, even when nothing changed"

    def start(self, run, wire, notes, faulty):
        if faulty:
            wire.call(
                "POST",
                "/api/database/schema",
                {"change": "rename_column", "request_id": f"cmp{run.id:04d}-rename"},
            )
        notes["reads"] = []
        notes["next_at"] = (
            time.time() + poll_interval()
        )  # it last read just before the order shipped

    def tick(self, run, wire, notes, now):
        if not self.due(notes, now):
            return
        n = self.plan_next(notes, now)
        body = {
            "sql": SQL.format(order_id=int(run.order_id)),
            "request_id": f"cmp{run.id:04d}-read-{n}",
        }
        status, answer = wire.call("POST", "/api/database/query", body)
        answer = answer or {}
        rows = answer.get("rows") or []
        seen = rows[0][1] if status == 200 and rows and len(rows[0]) > 1 else None
        notes["reads"].append(
            {
                "at": datetime.now(UTC).isoformat(),
                "status": status,
                "seen": seen,
                "error": ""
                if status == 200
                else str(answer.get("database_error") or answer.get("detail", ""))[:300],
            }
        )
        if seen == "shipped":
            notes["learned"] = True

    def lift(self, run, wire, notes):
        wire.call(
            "POST",
            "/api/database/schema",
            {"change": "restore", "request_id": f"cmp{run.id:04d}-restore"},
        )

    def measure(self, run, notes):
        reads = notes.get("reads", [])
        result = LaneResult(messages=len(reads))
        for read in reads:
            result.calls += 1
            if read["status"] != 200:
                result.failures += 1
            elif read["seen"] == "shipped":
                result.learned_at = datetime.fromisoformat(read["at"])
                break
        if result.failures:
            error = next(r["error"] for r in reads if r["status"] != 200)
            result.broke = (
                f"Shop renamed a column and {result.failures} of Reporting's reads failed "
                f"(“{error[:120]}”)"
                + (" until the change was rolled back." if result.learned_at else ".")
            )
        return result


register(DirectRead())
