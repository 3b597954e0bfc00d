"""The producer side: a user action puts a job on the queue and the request answers at once.

Jobs are published in chunks: each chunk's "queued" hops and its outbox rows are written in one
transaction, then handed to the broker (outbox.py), so a 10,000-job spike costs twenty commits and
the queue visibly fills while it is sent. When the broker is down the jobs wait in the outbox.
"""

import random

from django.db import transaction
from django.utils import timezone

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record_many

from . import outbox
from .kinds import KINDS, QUEUE

CHUNK = 500
PAGES = ["/", "/pricing", "/blog/queues", "/shop", "/about", "/signup"]


def sample_data(kind, n):
    if kind == "email":
        return {"user": f"user{n}", "address": f"user{n}@example.com"}
    if kind == "thumbnail":
        return {"photo": f"photo-{n}.jpg"}
    if kind == "analytics":
        return {"page": random.choice(PAGES)}
    return {}


def build_job(kind, *, fail_rate=0.0, duration_ms=None, fail_times=0, n=0):
    job_id = new_uid()
    return {
        "job_id": job_id,
        "kind": kind,
        "round": 1,
        "fail_rate": fail_rate,
        "fail_times": fail_times,
        "duration_ms": KINDS[kind].duration_ms() if duration_ms is None else duration_ms,
        "queued_at": timezone.now().isoformat(),
        "data": sample_data(kind, n or random.randint(100, 99999)),
    }


def hop(job, name="queued", source="web", task_id=None, note=""):
    """The ledger hop of a job message entering the queue (a first send, a requeue or a duplicate)."""
    return {
        "style": "queue",
        "kind": job["kind"],
        "hop": name,
        "source": source,
        "target": "queue",
        "status": "pending",
        "uid": f"{job['job_id']}-r{job['round']}-{name}",
        "correlation_id": job["job_id"],
        "payload": job,
        "contract": f"queue.{job['kind']}",
        "attempt": 1,
        "headers": {
            "queue": QUEUE,
            "task": "queue.run_job",
            "task_id": task_id or job["job_id"],
            **({"note": note} if note else {}),
        },
    }


def publish(entries):
    """Record [(job, hop fields)] and their outbox rows in one transaction, hand them to the broker
    after it commits. Returns how many jobs wait in the outbox (the broker was down)."""
    with transaction.atomic():
        record_many([fields for _, fields in entries])
        result = outbox.hold([(job, fields["headers"]["task_id"]) for job, fields in entries])
    return result["held"]


def enqueue(kind, count, **options):
    """Enqueue `count` jobs of `kind`; returns their ids."""
    return send(kind, count, **options)[0]


def send(kind, count, *, fail_rate=0.0, duration_ms=None, fail_times=0):
    """Enqueue `count` jobs of `kind`; returns (their ids, how many wait in the outbox for the broker)."""
    ids, held = [], 0
    for start in range(0, count, CHUNK):
        jobs = [
            build_job(kind, fail_rate=fail_rate, duration_ms=duration_ms, fail_times=fail_times)
            for _ in range(min(CHUNK, count - start))
        ]
        held += publish([(job, hop(job)) for job in jobs])
        ids += [job["job_id"] for job in jobs]
    return ids, held


def enqueue_twice(kind):
    """The same job message delivered twice (as a network retry or a redelivery would): one effect."""
    job = build_job(kind)
    again = hop(
        job,
        "sent-again",
        task_id=f"{job['job_id']}-again",
        note="the same job id, sent a second time",
    )
    publish([(job, hop(job)), (job, again)])
    return job["job_id"]


def requeue(dead):
    """Send a dead job again, in a new round, without its injected fault (as if the cause were fixed)."""
    job = {
        **dead.job,
        "round": dead.round + 1,
        "fail_rate": 0,
        "fail_times": 0,
        "queued_at": timezone.now().isoformat(),
    }
    publish(
        [
            (
                job,
                hop(
                    job,
                    "requeued",
                    source="deadletters",
                    task_id=f"{job['job_id']}-r{job['round']}",
                ),
            )
        ]
    )
    return job
