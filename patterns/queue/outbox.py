"""The jobs' outbox: a job survives a broker outage by waiting in the database.

`publish()` writes each job's "queued" hop and its outbox row in one transaction; after the commit
the rows are handed to Celery and marked sent. If the broker cannot be reached then, the rows stay
pending and due now, and the sweeper (beat's `queue.sweep`, every tick) hands them over as soon as
the broker answers again. A row is also re-handed if its process died between commit and hand-over
(it becomes due after HANDOVER_GRACE). A message that reaches the broker twice is harmless: the
worker's side effect is idempotent on the job id (see journal.py).
"""

import json
import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .kinds import QUEUE
from .models import Outbox

log = logging.getLogger(__name__)
HANDOVER_GRACE = timedelta(seconds=30)
BATCH = 500
# After a failed hand-over this process leaves the next ones to the sweeper for a few seconds: a
# 10,000-job spike in 20 chunks must not wait on a frozen broker 20 times.
DOWN_PAUSE_S = 3.0
_down = {"until": 0.0}


def hold(messages):
    """Write outbox rows for [(job, task_id)] inside the caller's transaction; hand them over after it commits."""
    now = timezone.now()
    Outbox.objects.bulk_create(
        [
            Outbox(task_id=task_id, job_id=job["job_id"], job=job, due_at=now + HANDOVER_GRACE)
            for job, task_id in messages
        ]
    )
    result = {"held": 0}
    transaction.on_commit(lambda: result.update(held=hand_over(messages)))
    return result


def hand_over(messages):
    """Publish [(job, task_id)] to the broker; returns how many stay held because it is down."""
    from celery import current_app as app  # the project's, made current when Django loads

    from .tasks import run_job

    if time.monotonic() < _down["until"]:
        _mark([], [task_id for _, task_id in messages])
        return len(messages)
    sent = []
    try:
        with app.producer_or_acquire() as producer:
            for job, task_id in messages:
                run_job.apply_async(args=[job], queue=QUEUE, task_id=task_id, producer=producer)
                sent.append(task_id)
    except Exception as exc:  # the broker is down: the rest wait, due now, for the sweeper
        _down["until"] = time.monotonic() + DOWN_PAUSE_S
        held = [task_id for _, task_id in messages if task_id not in set(sent)]
        log.warning("broker unreachable (%s): %d jobs wait in the outbox", exc, len(held))
        _mark(sent, held)
        return len(held)
    _mark(sent, [])
    return 0


def _mark(sent, held):
    now = timezone.now()
    try:
        with transaction.atomic():
            for start in range(0, len(sent), BATCH):
                Outbox.objects.filter(task_id__in=sent[start : start + BATCH]).update(
                    state=Outbox.State.SENT, sent_at=now
                )
            for start in range(0, len(held), BATCH):
                Outbox.objects.filter(
                    task_id__in=held[start : start + BATCH], state=Outbox.State.PENDING
                ).update(due_at=now)
    except (
        Exception
    ):  # the rows stay pending: handed over again after the grace (a harmless second send)
        log.exception("queue outbox: could not mark %d rows", len(sent) + len(held))


def due(now=None):
    return Outbox.objects.filter(state=Outbox.State.PENDING, due_at__lte=now or timezone.now())


def sweep(now=None):
    """Hand over what is due (up to BATCH rows); returns how many rows were handed over."""
    now = now or timezone.now()
    if not due(now).exists():  # the usual tick: one read, no write lock
        return 0
    with transaction.atomic():
        rows = list(
            due(now)
            .select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("task_id", "job")[:BATCH]
        )
        if not rows:
            return 0
        Outbox.objects.filter(task_id__in=[task_id for task_id, _ in rows]).update(
            dispatch=F("dispatch") + 1, due_at=now + HANDOVER_GRACE
        )
        messages = [(job, task_id) for task_id, job in rows]
        transaction.on_commit(lambda: hand_over(messages))
    return len(messages)


def waiting():
    """Jobs waiting in the outbox for the broker."""
    return Outbox.objects.filter(state=Outbox.State.PENDING).count()


# Lost jobs -------------------------------------------------------------------------------------
# Redis pops a message (BRPOP) before the worker files it as unacknowledged: a worker killed in
# that instant takes the job with it, and a Redis restarted without its data forgets its queue.
# A Redis restarted that way also forgets the workers' journal (a "started" may have reached the
# ledger, its "done" not) and the message of a job being worked on. The outbox still knows the job
# was sent, so it looks for it: a job sent a while ago that has not finished, found neither in the
# queue nor among Redis's unacknowledged messages (a running or retrying job is there), is lost,
# and is sent again (its work is idempotent on the job id, so a false alarm costs one "duplicate").
LOST_AFTER = timedelta(seconds=10)
LOST_CHECK_EVERY_S = 5
LOST_BATCH = 500
FINISHED = ("duplicate", "done", "dead")


def _in_broker():
    """Task ids waiting in the jobs queue or held unacknowledged by a worker; None if not Redis."""
    from celery import current_app as app  # the project's, made current when Django loads

    with app.connection_for_read() as connection:
        if connection.transport.driver_type != "redis":
            return None
        client = connection.default_channel.client
        waiting = [json.loads(raw) for raw in client.lrange(QUEUE, 0, -1)]
        held = [json.loads(raw)[0] for raw in client.hvals("unacked")]
    return {message.get("headers", {}).get("id") for message in waiting + held}


def _unfinished(now):
    from patterns.ledger.models import Message

    rows = list(
        Outbox.objects.filter(
            state=Outbox.State.SENT,
            sent_at__lte=now - LOST_AFTER,
            sent_at__gte=now - timedelta(hours=1),
        )
        .order_by("id")
        .values_list("task_id", "job_id", "job")[: LOST_BATCH * 4]
    )
    seen = set(
        Message.objects.filter(
            style="queue", correlation_id__in={r[1] for r in rows}, hop__in=FINISHED
        ).values_list("correlation_id", flat=True)
    )
    return [row for row in rows if row[1] not in seen][:LOST_BATCH]


def recover_lost(now=None):
    """Send again the jobs the broker lost; returns how many. Checked twice, a second apart, so a
    message a worker is just taking is not mistaken for a lost one."""
    from . import journal

    now = now or timezone.now()
    if journal.pending():  # workers' hops not yet in the ledger: a finished job may look unfinished
        return 0
    candidates = _unfinished(now)
    if not candidates:
        return 0
    first = _in_broker()
    if first is None:
        return 0
    time.sleep(1)
    present = first | _in_broker()
    if journal.pending():
        return 0
    lost = [row for row in _unfinished(now) if row in candidates and row[0] not in present]
    if not lost:
        return 0
    from patterns.ledger.recorder import record_many

    with transaction.atomic():
        Outbox.objects.filter(task_id__in=[task_id for task_id, _, _ in lost]).update(
            dispatch=F("dispatch") + 1
        )
        record_many([_resent_hop(task_id, job) for task_id, _, job in lost])
        messages = [(job, task_id) for task_id, _, job in lost]
        transaction.on_commit(lambda: hand_over(messages))
    log.warning("queue outbox: %d jobs were lost by the broker; sent again", len(lost))
    return len(lost)


def _resent_hop(task_id, job):
    return {
        "style": "queue",
        "kind": job["kind"],
        "hop": "re-sent",
        "source": "outbox",
        "target": "queue",
        "status": "pending",
        "uid": f"{task_id}-resent-{timezone.now().timestamp():.0f}",
        "correlation_id": job["job_id"],
        "attempt": 1,
        "payload": {
            "job_id": job["job_id"],
            "note": "sent but never finished, and no longer in the broker: sent again",
        },
        "headers": {"queue": QUEUE, "task": "queue.run_job", "task_id": task_id},
    }
