"""The consumer side: what a worker process does with one job, hop by hop.

Every hop has a deterministic uid (job, round, attempt), so a redelivered job records nothing
twice, and the side effect is written in the same transaction as the "done" hop, once per job id.
"""

import os
import random
import time
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record

from .kinds import KINDS, MAX_RETRIES, backoff_seconds
from .models import DeadLetter, Effect

FAULTS = {
    "email": "the mail server refused the connection (simulated fault)",
    "thumbnail": "the image could not be decoded (simulated fault)",
    "analytics": "the analytics database timed out (simulated fault)",
    "noop": "a simulated fault",
}


class JobFailed(Exception):
    pass


def effect_of(job):
    data = job.get("data") or {}
    return {
        "email": lambda: f"welcome email sent to {data.get('address')}",
        "thumbnail": lambda: f"thumbnail of {data.get('photo')} saved",
        "analytics": lambda: f"view of {data.get('page')} counted",
    }.get(job["kind"], lambda: "nothing (a no-op job)")()


class Attempt:
    """One delivery of one job to this worker process."""

    def __init__(self, job, attempt, hostname):
        self.job, self.attempt, self.id = job, attempt, job["job_id"]
        self.prefix = f"{self.id}-r{job['round']}-a{attempt}"
        self.queued_at = datetime.fromisoformat(job["queued_at"])
        self.who = {"job_id": self.id, "attempt": attempt, "worker": hostname or "?", "pid": os.getpid()}

    def hop(self, name, source, target, status="ok", uid=None, **fields):
        payload = {**self.who, **fields.pop("payload", {})}
        return record(style="queue", kind=self.job["kind"], hop=name, source=source, target=target, status=status,
                      uid=uid or f"{self.prefix}-{name}", correlation_id=self.id, attempt=self.attempt,
                      payload=payload, contract="queue.outcome", sent_at=self.queued_at, **fields)

    def begin(self):
        """Record that the job started (or was redelivered); False if its work is already done."""
        if Effect.objects.filter(job_id=self.id).exists():
            self.hop("duplicate", "queue", "worker", uid=new_uid(), payload={"effect": "none: already done, skipped"})
            return False
        waited = (timezone.now() - self.queued_at).total_seconds() * 1000
        started = self.hop("started", "queue", "worker", duration_ms=round(waited, 3))
        if not started.created:  # this attempt began before: its worker died and the broker handed it back
            self.hop("redelivered", "queue", "worker", uid=new_uid())
        return True

    def work(self):
        began = time.monotonic()
        time.sleep(self.job["duration_ms"] / 1000)
        if self.attempt <= self.job.get("fail_times", 0) or random.random() < self.job.get("fail_rate", 0):
            raise JobFailed(FAULTS.get(self.job["kind"], FAULTS["noop"]))
        return round((time.monotonic() - began) * 1000, 3)

    def finish(self, work_ms):
        target = KINDS[self.job["kind"]].target
        with transaction.atomic():  # the side effect and its hop: both or neither, once per job id
            _, fresh = Effect.objects.get_or_create(job_id=self.id, defaults={"kind": self.job["kind"], "detail": effect_of(self.job)[:200]})
            if not fresh:  # a second delivery of the same job ran alongside the first, and lost
                self.hop("duplicate", "worker", target, uid=new_uid(), payload={"effect": "none: already done by another delivery"})
                return False
            self.hop("done", "worker", target, uid=f"{self.id}-done", duration_ms=work_ms,
                     payload={"work_ms": work_ms, "effect": effect_of(self.job)})
            return True

    def failed(self, error):
        target = KINDS[self.job["kind"]].target
        self.hop("failed", "worker", target, status="error", error=str(error))

    def retry_scheduled(self, delay):
        self.hop("retry-scheduled", "worker", "queue", status="pending", duration_ms=round(delay * 1000, 1),
                 payload={"retry_in_s": round(delay, 3), "next_attempt": self.attempt + 1})

    def bury(self, error):
        with transaction.atomic():
            DeadLetter.objects.get_or_create(
                job_id=self.id, round=self.job["round"],
                defaults={"kind": self.job["kind"], "job": self.job, "error": str(error), "attempts": self.attempt},
            )
            self.hop("dead", "worker", "deadletters", status="error", uid=f"{self.id}-r{self.job['round']}-dead",
                     error=f"gave up after {self.attempt} attempts: {error}")


def run(job, attempt, hostname, retry):
    """Run one delivery. `retry(countdown, exc)` publishes the next attempt and returns the
    exception to raise (Celery's Task.retry with throw=False)."""
    this = Attempt(job, attempt, hostname)
    if not this.begin():
        return "duplicate"
    try:
        work_ms = this.work()
    except JobFailed as exc:
        this.failed(exc)
        if attempt > MAX_RETRIES:
            this.bury(exc)
            return "dead"
        delay = backoff_seconds(attempt)
        again = retry(delay, exc)
        this.retry_scheduled(delay)
        raise again
    return "done" if this.finish(work_ms) else "duplicate"
