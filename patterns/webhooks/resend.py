"""Resend: the same webhook (same webhook-id, so the receiver can tell it has seen it) with a new
timestamp and signature. A finished delivery gets one extra attempt outside the ladder; a pending
one simply goes now instead of waiting."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Delivery
from .outbox import HANDOVER_GRACE, hand_over


def resend(delivery):
    now = timezone.now()
    finished = delivery.state != Delivery.State.PENDING
    with transaction.atomic():
        changes = {
            "state": Delivery.State.PENDING,
            "dispatch": F("dispatch") + 1,
            "next_attempt_at": now + HANDOVER_GRACE,
        }
        if finished:
            changes["manual"] = True
        Delivery.objects.filter(id=delivery.id).update(**changes)
        delivery.refresh_from_db()
        job = [(delivery.id, delivery.dispatch)]
        transaction.on_commit(lambda: hand_over(job))
    return delivery
