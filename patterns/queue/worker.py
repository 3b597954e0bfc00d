"""The consumer side: what a worker process does with one job, hop by hop.

Every hop has a deterministic uid (job, round, attempt) and goes through the journal (journal.py),
which records it in batches; a job's side effect travels with its "done" hop and is written once
per job id. Everything is pushed before the job returns, that is before Celery acknowledges it.
"""

import os
import random
import signal
import time
from datetime import datetime

from django.utils import timezone

from patterns.ledger.models import new_uid

from . import journal
from .kinds import KINDS, MAX_RETRIES, backoff_seconds

FAULTS = {
    "email": "the mail server refused the connection (simulated fault)",
    "thumbnail": "the image could not be decoded (simulated fault)",
    "analytics": "the analytics database timed out (simulated fault)",
    "noop": "a simulated fault",
}


OUTCOMES = {"done", "failed", "dead"}
LIVE_START_MS = (
    50  # jobs at least this long announce their start at once (a class can watch, or crash, them)
)


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
        self.target = KINDS[job["kind"]].target
        self.who = {
            "job_id": self.id,
            "attempt": attempt,
            "worker": hostname or "?",
            "pid": os.getpid(),
        }
        self.held = None
        self.crash_armed = False

    def entry(self, name, source, target, status="ok", uid=None, payload=None, **extra):
        """One hop as the journal takes it."""
        fields = {
            "style": "queue",
            "kind": self.job["kind"],
            "hop": name,
            "source": source,
            "target": target,
            "status": status,
            "uid": uid or f"{self.prefix}-{name}",
            "correlation_id": self.id,
            "attempt": self.attempt,
            "payload": {**self.who, "at": timezone.now().isoformat(), **(payload or {})},
            "sent_at": self.queued_at.isoformat(),
        }
        if name in OUTCOMES:  # the hops that report how an attempt ended carry the outcome contract
            fields["contract"] = "queue.outcome"
        return {"fields": {**fields, **extra.pop("fields", {})}, **extra}

    def hop(self, name, source, target, **options):
        entry = self.entry(name, source, target, **options)
        if name == "started" and self.job["duration_ms"] < LIVE_START_MS:
            self.held = entry  # a quick job: its start goes out with its outcome, in one round trip
            return
        journal.push(*([self.held] if self.held else []), entry)
        self.held = None

    def begin(self):
        """Record that the job started; False (and a "duplicate" hop) if its work is already done.
        No database access here: Celery closes a task's connections, so each query would reconnect."""
        done, self.crash_armed = journal.before_start(self.id)
        if done:
            self.hop(
                "duplicate",
                "queue",
                "worker",
                uid=new_uid(),
                payload={"effect": "none: already done, skipped"},
            )
            return False
        waited = (timezone.now() - self.queued_at).total_seconds() * 1000
        self.hop("started", "queue", "worker", fields={"duration_ms": round(waited, 3)})
        return True

    def work(self):
        began = time.monotonic()
        if self.crash_armed:
            self.crash_if_mine()
        if self.job["duration_ms"]:
            time.sleep(self.job["duration_ms"] / 1000)
        if self.attempt <= self.job.get("fail_times", 0) or random.random() < self.job.get(
            "fail_rate", 0
        ):
            raise JobFailed(FAULTS.get(self.job["kind"], FAULTS["noop"]))
        return round((time.monotonic() - began) * 1000, 3)

    def crash_if_mine(self):
        """The crash button, when jobs wait but none is surely mid-job in a worker's view (a spike
        of quick jobs on a busy machine): the next job to start takes it and its process dies by
        SIGKILL halfway through the work, so the broker redelivers it (control.crash)."""
        token = journal.claim_crash()
        if token is None:
            return  # another job took it first
        if self.held:  # a quick job's start would die with it: the redelivery must not look first
            journal.append(self.held)
            self.held = None
        time.sleep((self.job["duration_ms"] or 0) / 2000)
        journal.report_crash(
            token,
            {
                "node": self.who["worker"],
                "pid": os.getpid(),
                "job_id": self.id,
                "kind": self.job["kind"],
            },
        )
        os.kill(os.getpid(), signal.SIGKILL)

    def finish(self, work_ms):
        effect = effect_of(self.job)
        self.hop(
            "done",
            "worker",
            self.target,
            uid=f"{self.id}-done",
            payload={"work_ms": work_ms, "effect": effect},
            fields={"duration_ms": work_ms},
            effect={"job_id": self.id, "kind": self.job["kind"], "detail": effect[:200]},
        )

    def failed(self, error):
        self.hop("failed", "worker", self.target, status="error", fields={"error": str(error)})

    def retry_scheduled(self, delay):
        self.hop(
            "retry-scheduled",
            "worker",
            "queue",
            status="pending",
            fields={"duration_ms": round(delay * 1000, 1)},
            payload={"retry_in_s": round(delay, 3), "next_attempt": self.attempt + 1},
        )

    def bury(self, error):
        self.hop(
            "dead",
            "worker",
            "deadletters",
            status="error",
            uid=f"{self.id}-r{self.job['round']}-dead",
            fields={"error": f"gave up after {self.attempt} attempts: {error}"},
            dead={
                "job_id": self.id,
                "round": self.job["round"],
                "kind": self.job["kind"],
                "job": self.job,
                "error": str(error),
                "attempts": self.attempt,
            },
        )


def lost_start(job, attempt, hostname, pid, started_at):
    """The "started" hop of a quick job killed mid-job, or None if its process had sent it already.
    A quick job holds its start back until its outcome (Attempt.hop), so a crash would take the start
    with it and the redelivery would look like a first start. The worker's main process, which saw
    the process accept the job, journals it before the kill (remote.queue_crash_job)."""
    if job["duration_ms"] >= LIVE_START_MS:
        return None
    this = Attempt(job, attempt, hostname)
    this.who["pid"] = pid
    waited = (started_at - this.queued_at.timestamp()) * 1000
    return this.entry("started", "queue", "worker", fields={"duration_ms": round(waited, 3)})


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
        raise again from exc
    this.finish(work_ms)
    return "done"
