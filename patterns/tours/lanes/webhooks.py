"""A webhook: Shop calls Tracking's address the moment the order ships (the fishing hook)."""

from . import register
from .base import Lane, LaneResult


class Webhook(Lane):
    key = "webhooks"
    title = "Webhook"
    consumer = "Shop's receiver"
    how = "Shop posts a signed order.shipped event to the receiver's URL; retries on a ladder if nobody answers."
    coupling = 2
    coupling_text = "Low–medium: the sender must know the receiver's URL and secret; the event's fields are the contract."
    fault = "Receiver down"
    fault_key = "receiver_down"
    idle_cost = "nothing until something happens"

    def start(self, run, wire, notes, faulty):
        if faulty:
            wire.call("PUT", "/api/webhooks/receiver", {"mode": "offline"})
        data = {
            "order_id": f"ord_{run.order_id}",
            "carrier": "DHL",
            "tracking_number": f"JD0146{run.order_id:06d}",
        }
        status, body = wire.call(
            "POST", "/api/webhooks/events", {"type": "order.shipped", "data": data}
        )
        notes["event_id"] = (body or {}).get("event_id", "") if status == 201 else ""
        if status != 201:
            notes["error"] = f"the event was refused ({status}): {(body or {}).get('detail', '')}"

    def lift(self, run, wire, notes):
        wire.call("PUT", "/api/webhooks/receiver", {"mode": "healthy"})

    def measure(self, run, notes):
        event_id = notes.get("event_id")
        if not event_id:
            return LaneResult(broke=notes.get("error", ""))
        rows = list(self.rows(run, style="webhooks", correlation_id=event_id))
        result = LaneResult(messages=len(rows), correlation_ids=[event_id])
        for row in rows:
            if row.hop == "attempt":
                result.calls += 1
            elif row.hop == "answer" and row.status == "error":
                result.failures += 1
            elif row.hop == "processed" and result.learned_at is None:
                result.learned_at = row.created_at
        if result.failures:
            result.broke = f"{result.failures} delivery attempts failed; " + (
                "the sender retried on its ladder and the event arrived late — nothing was lost."
                if result.learned_at
                else "the sender keeps retrying on its ladder (now, 5 s, 5 min, 30 min … in story time)."
            )
        return result


register(Webhook())
