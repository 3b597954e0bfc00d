"""Nothing doubled: two jobs holding the same dispatch number race to claim one delivery; one wins."""

import threading

import pytest
from django.db import connections
from django.utils import timezone

from patterns.webhooks import catalog, endpoints, sender
from patterns.webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_jobs_with_the_same_dispatch_number_claim_a_delivery_once():
    now, event_type = timezone.now(), catalog.TYPES["payment.completed"]
    event = Event.objects.create(
        event_id="evt_race",
        type=event_type.name,
        source="payments",
        body=catalog.encode(event_type, event_type.sample, now),
        created_at=now,
    )
    delivery = Delivery.objects.create(
        event=event,
        endpoint=endpoints.builtin(),
        created_at=now,
        next_attempt_at=now + timezone.timedelta(seconds=30),
    )
    start, claimed = threading.Barrier(4), []

    def race():
        try:
            start.wait()
            claimed.append(len(sender.claim([(delivery.id, 0)])))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == [0, 0, 0, 1]
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.dispatch == 1
