"""The sweeper: every tick, hand the deliveries that are due to the workers.

Due times live in the database (`next_attempt_at`), so a retry five story-hours away is a row, not
a Celery countdown that Redis might redeliver or lose. Handing over bumps each row's dispatch
number and pushes its due time out by a grace period, so a slow queue is not flooded with copies.
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery
from .outbox import HANDOVER_GRACE, hand_over

BATCH = 500


def due(now=None):
    now = now or timezone.now()
    # With those of deleted endpoints: the claim cancels them (a delivery written as its endpoint went).
    live = Q(endpoint__disabled=False) | Q(endpoint__deleted_at__isnull=False)
    return Delivery.objects.filter(live, state=Delivery.State.PENDING, next_attempt_at__lte=now)


def sweep(now=None):
    """Hand over every due delivery (up to BATCH); returns how many."""
    now = now or timezone.now()
    if not due(now).exists():  # the usual tick: a read, no write lock taken
        return 0
    with transaction.atomic():
        rows = list(
            due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at")
            .values_list("id", "dispatch")[:BATCH]
        )
        if not rows:
            return 0
        Delivery.objects.filter(id__in=[r[0] for r in rows]).update(
            dispatch=F("dispatch") + 1, next_attempt_at=now + HANDOVER_GRACE
        )
        jobs = [(delivery_id, dispatch + 1) for delivery_id, dispatch in rows]
        transaction.on_commit(lambda: hand_over(jobs))
    return len(jobs)
