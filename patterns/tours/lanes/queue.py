"""A queue job: Shop puts "email the customer: order 42 shipped" in line; a worker takes it."""

from . import register
from .base import Lane, LaneResult


class QueueJob(Lane):
    key = "queue"
    title = "Queue job"
    consumer = "Workers (mailer)"
    how = "Shop puts a job in the queue and moves on; a background worker takes it when it is free."
    coupling = 1
    coupling_text = "Loose: both sides only share the queue and the job's shape; either may be away for a while."
    fault = "Workers down"
    fault_key = "workers_down"
    idle_cost = "nothing until there is work"

    def start(self, run, wire, notes, faulty):
        if faulty:
            wire.call("POST", "/api/queue/workers", {"action": "pause"})
        status, body = wire.call("POST", "/api/queue/jobs", {"kind": "email"})
        notes["job_id"] = (body or {}).get("ids", [""])[0] if status == 201 else ""
        if status != 201:
            notes["error"] = f"the job was refused ({status}): {(body or {}).get('detail', '')}"

    def lift(self, run, wire, notes):
        wire.call("POST", "/api/queue/workers", {"action": "resume"})

    def measure(self, run, notes):
        job_id = notes.get("job_id")
        if not job_id:
            return LaneResult(broke=notes.get("error", ""))
        rows = list(self.rows(run, style="queue", correlation_id=job_id))
        result = LaneResult(calls=1, messages=len(rows), correlation_ids=[job_id])
        for row in rows:
            if row.status == "error":
                result.failures += 1
            if row.hop == "done" and result.learned_at is None:
                result.learned_at = row.created_at
        started = next((r for r in rows if r.hop == "started"), None)
        if run.faults and self.key in run.faults:
            waited = (
                (started.created_at - rows[0].created_at).total_seconds()
                if started and rows
                else None
            )
            result.broke = (
                "No worker was taking jobs: the job waited safely in the queue"
                + (f" for {waited:.1f} s" if waited is not None else "")
                + " and ran when they came back."
            )
        return result


register(QueueJob())
