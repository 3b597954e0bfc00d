"""Polled REST: Tracking asks Shop's API "how is order 42?" every story hour."""

import time

from . import register
from .base import Lane, LaneResult, Poller, poll_interval


class PolledRest(Lane, Poller):
    key = "api"
    title = "Polled REST"
    consumer = "Tracking"
    how = (
        "Tracking asks Shop's API about the order every story hour; it learns at the next question."
    )
    coupling = 3
    coupling_text = "Medium: Tracking needs Shop's URL, its JSON contract and Shop up when it asks — not Shop's tables."
    fault = "Shop's API fails (500)"
    fault_key = "api_down"
    idle_cost = "24 questions a day, even when nothing changed"

    def start(self, run, wire, notes, faulty):
        if faulty:
            wire.call("PUT", "/api/api/shop-mode", {"mode": "erroring"})
        notes["prefix"] = f"cmp{run.id:04d}-poll-"
        notes["next_at"] = (
            time.time() + poll_interval()
        )  # it last asked just before the order shipped

    def tick(self, run, wire, notes, now):
        if not self.due(notes, now):
            return
        n = self.plan_next(notes, now)
        headers = {"X-Client-Id": "tracking", "X-Request-Id": f"{notes['prefix']}{n}"}
        status, body = wire.call("GET", f"/api/shop/orders/{run.order_id}", headers=headers)
        if status == 200 and (body or {}).get("status") == "shipped":
            notes["learned"] = True

    def lift(self, run, wire, notes):
        wire.call("PUT", "/api/api/shop-mode", {"mode": "healthy"})

    def measure(self, run, notes):
        rows = list(
            self.rows(
                run,
                style="api",
                correlation_id__startswith=notes.get("prefix", "-"),
                hop="response",
            )
        )
        result = LaneResult(messages=2 * len(rows))
        for row in rows:
            result.calls += 1
            result.correlation_ids.append(row.correlation_id)
            if row.status_code != 200:
                result.failures += 1
            elif (row.payload or {}).get("status") == "shipped":
                result.learned_at = row.created_at
                break
        if result.failures:
            result.broke = f"{result.failures} of {result.calls} questions got an error; " + (
                "Tracking kept asking and learned only after Shop recovered."
                if result.learned_at
                else "Tracking keeps asking, and knows nothing until Shop answers again."
            )
        return result


register(PolledRest())
