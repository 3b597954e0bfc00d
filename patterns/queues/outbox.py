"""The jobs' outbox: a job survives a broker outage by waiting in the database.

`publish()` writes each job's "queued" hop and its outbox row in one transaction; after the commit
the rows are handed to Celery and marked sent. If the broker cannot be reached then, the rows stay
pending and due now, and the sweeper (beat's `queue.sweep`, every tick) hands them over as soon as
the broker answers again. A row is also re-handed if its process died between commit and hand-over
(it becomes due after HANDOVER_GRACE). A message that reaches the broker twice is harmless: the
worker's side effect is idempotent on the job id (see journal.py).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .kinds import QUEUE
from .models import Outbox

log = logging.getLogger(__name__)
HANDOVER_GRACE = timedelta(seconds=30)
BATCH = 500


def hold(messages):
    """Write outbox rows for [(job, task_id)] inside the caller's transaction; hand them over after it commits."""
    now = timezone.now()
    Outbox.objects.bulk_create([Outbox(task_id=task_id, job_id=job["job_id"], job=job, due_at=now + HANDOVER_GRACE)
                                for job, task_id in messages])
    result = {"held": 0}
    transaction.on_commit(lambda: result.update(held=hand_over(messages)))
    return result


def hand_over(messages):
    """Publish [(job, task_id)] to the broker; returns how many stay held because it is down."""
    from playground.celery import app

    from .tasks import run_job

    sent = []
    try:
        with app.producer_or_acquire() as producer:
            for job, task_id in messages:
                run_job.apply_async(args=[job], queue=QUEUE, task_id=task_id, producer=producer)
                sent.append(task_id)
    except Exception as exc:  # the broker is down: the rest wait, due now, for the sweeper
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
                Outbox.objects.filter(task_id__in=sent[start:start + BATCH]).update(state=Outbox.State.SENT, sent_at=now)
            for start in range(0, len(held), BATCH):
                Outbox.objects.filter(task_id__in=held[start:start + BATCH], state=Outbox.State.PENDING).update(due_at=now)
    except Exception:  # the rows stay pending: handed over again after the grace (a harmless second send)
        log.exception("queue outbox: could not mark %d rows", len(sent) + len(held))


def due(now=None):
    return Outbox.objects.filter(state=Outbox.State.PENDING, due_at__lte=now or timezone.now())


def sweep(now=None):
    """Hand over what is due (up to BATCH rows); returns how many rows were handed over."""
    now = now or timezone.now()
    if not due(now).exists():  # the usual tick: one read, no write lock
        return 0
    with transaction.atomic():
        rows = list(due(now).select_for_update(skip_locked=True).order_by("id").values_list("task_id", "job")[:BATCH])
        if not rows:
            return 0
        Outbox.objects.filter(task_id__in=[task_id for task_id, _ in rows]).update(
            dispatch=F("dispatch") + 1, due_at=now + HANDOVER_GRACE)
        messages = [(job, task_id) for task_id, job in rows]
        transaction.on_commit(lambda: hand_over(messages))
    return len(messages)


def waiting():
    """Jobs waiting in the outbox for the broker."""
    return Outbox.objects.filter(state=Outbox.State.PENDING).count()
