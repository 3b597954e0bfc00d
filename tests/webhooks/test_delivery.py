"""Deliveries through real parts: the outbox, a real Celery worker and beat (the sweeper), real
HTTP to Shop's receiver on a real daphne or to an endpoint outside the playground."""

import threading

import pytest
from django.db.models import Count
from standardwebhooks.webhooks import Webhook

from patterns.ledger.models import Message
from patterns.site import storytime
from patterns.webhooks import endpoints, outbox, shop
from patterns.webhooks.models import Delivery, Endpoint, Processed
from tests.helpers import eventually, hops
from tests.webhooks.helpers import skip_the_wait, wait_for_attempts, wait_until_state

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("asgi_server", "celery_worker", "celery_beat"),
]


def only_outside(outside, **options):
    """Subscribe the outside endpoint and switch Shop's built-in one off, to watch one endpoint."""
    Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
    return endpoints.create(outside.url, "outside the playground", **options)


def test_an_event_reaches_shop_and_every_hop_is_in_the_ledger():
    event, deliveries = outbox.fire("payment.completed")
    delivery = wait_until_state(deliveries[0].id, "delivered")
    assert delivery.attempts == 1 and delivery.last_status_code == 200
    eventually(lambda: len(hops("webhooks", "answer")) == 1, message="the answer hop")
    exchange = Message.objects.filter(correlation_id=event.event_id)
    assert [m.hop for m in exchange] == ["event", "attempt", "processed", "answer"]
    assert all(m.valid for m in exchange)
    attempt = exchange.get(hop="attempt")
    assert attempt.headers["webhook-id"] == event.event_id and attempt.headers[
        "webhook-signature"
    ].startswith("v1,")
    assert Processed.objects.filter(webhook_id=event.event_id).count() == 1


def test_an_outside_endpoint_gets_deliveries_that_verify_with_the_standardwebhooks_library(outside):
    endpoint = only_outside(outside)
    event, _ = outbox.fire("order.shipped")
    eventually(lambda: outside.requests, message="the outside endpoint to be called")
    request = outside.requests[0]
    payload = Webhook(endpoint.secret).verify(request["body"].decode(), request["headers"])
    assert payload["type"] == "order.shipped" and payload["data"]["carrier"] == "DHL"
    assert request["headers"]["webhook-id"] == event.event_id


def test_during_a_rotation_both_the_old_and_the_new_secret_verify(outside):
    endpoint = only_outside(outside)
    old = endpoint.secret
    new = endpoints.rotate(endpoint).secret
    outbox.fire("payment.completed")
    eventually(lambda: outside.requests, message="a delivery")
    request = outside.requests[0]
    assert len(request["headers"]["webhook-signature"].split()) == 2
    for secret in (old, new):
        Webhook(secret).verify(request["body"].decode(), request["headers"])


def test_500_500_200_makes_three_attempts_with_the_same_webhook_id(outside):
    outside.script = [500, 500, 200]
    endpoint = only_outside(outside)
    event, deliveries = outbox.fire("payment.failed")
    delivery = wait_until_state(deliveries[0].id, "delivered", timeout=30)
    assert delivery.attempts == 3
    assert [r["headers"]["webhook-id"] for r in outside.requests] == [event.event_id] * 3
    for request in outside.requests:  # each signed afresh at its own timestamp (whole seconds)
        Webhook(endpoint.secret).verify(request["body"].decode(), request["headers"])
    answers = hops("webhooks", "answer", correlation_id=event.event_id)
    assert [(a.attempt, a.status_code, a.status) for a in answers] == [
        (1, 500, "error"),
        (2, 500, "error"),
        (3, 200, "ok"),
    ]


def test_410_disables_the_endpoint_and_stops_the_attempts(outside):
    """A disabled endpoint is sent nothing: an event fired after the 410 gets no delivery row at
    all, and a delivery row is the only thing a worker or the sweeper ever sends, so there is no
    later request to wait for."""
    outside.script = [410]
    endpoint = only_outside(outside)
    _, deliveries = outbox.fire("refund.created")
    wait_until_state(deliveries[0].id, "failed")
    endpoint.refresh_from_db()
    assert endpoint.disabled and "410" in endpoint.disabled_reason
    _, later = outbox.fire("refund.created")
    assert (
        list(later) == []
        and not Delivery.objects.filter(endpoint=endpoint).exclude(id=deliveries[0].id).exists()
    )
    assert len(outside.requests) == 1


def test_a_429_with_retry_after_is_honoured(outside):
    """The retry is scheduled after the 2 s the receiver asked for, where the ladder alone would
    retry after 5 story seconds (3.5 ms); the attempt's record says so. (How long it really took
    is not asserted here: timings belong in bench/.)"""
    outside.script = [(429, {"Retry-After": "2"}, 0), 200]
    only_outside(outside)
    event, deliveries = outbox.fire("payment.completed")
    wait_until_state(deliveries[0].id, "delivered", timeout=30)
    first, second = outside.requests
    error = Delivery.objects.get(id=deliveries[0].id).attempt_set.get(number=1).error
    assert "Retry-After" in error
    assert (
        f"a wait of {storytime.describe(storytime.to_story(2.0))} (as its Retry-After asked)"
        in error
    )
    exchange = [
        (m.hop, m.attempt)
        for m in Message.objects.filter(
            correlation_id=event.event_id, hop__in=["attempt", "answer"]
        )
    ]
    assert exchange == [
        ("attempt", 1),
        ("answer", 1),
        ("attempt", 2),
        ("answer", 2),
    ]  # retried once it had answered


def test_a_receiver_that_hangs_is_recorded_as_a_timeout(outside):
    """The endpoint holds the first request unanswered until the test lets it go: the delivery is
    settled while that request still waits, so the sender gave up at its timeout rather than
    waiting for the answer. (How long the attempt took is for bench/, not asserted here.)"""
    released = threading.Event()

    def hang(request):
        released.wait(60)
        return 200

    outside.script = [hang, 200]
    only_outside(outside)
    try:
        _, deliveries = outbox.fire("user.signed_up")
        delivery = wait_until_state(deliveries[0].id, "delivered", timeout=40)
        assert not released.is_set() and len(outside.requests) == 2  # the first is still unanswered
    finally:
        released.set()
    first = delivery.attempt_set.get(number=1)
    assert first.status_code is None and "no answer within the 2 s timeout" in first.error
    assert first.duration_ms is not None
    answer = hops("webhooks", "answer", attempt=1)[0]
    assert answer.status == "error" and "timeout" in answer.error


@pytest.mark.slow
def test_an_exhausted_ladder_marks_the_message_failed_and_a_run_of_them_disables_the_endpoint(
    outside,
):
    outside.script = [500]
    endpoint = only_outside(outside, disable_after=1)
    _, deliveries = outbox.fire("payment.completed")
    for n in range(1, 8):
        wait_for_attempts(deliveries[0].id, n)
        skip_the_wait(deliveries[0].id)  # fast-forward the story to the next rung of the ladder
    delivery = wait_until_state(deliveries[0].id, "failed")
    assert (
        delivery.attempts == 8
        and len(outside.requests) == 8
        and "all 8 attempts used" in delivery.last_error
    )
    endpoint.refresh_from_db()
    assert endpoint.disabled and "1 messages in a row failed" in endpoint.disabled_reason


def test_shop_offline_for_a_while_then_back_gets_every_event_once():
    shop.set_mode("offline")
    fired = [outbox.fire("payment.completed")[1][0].id for _ in range(5)]
    for delivery_id in fired:
        wait_for_attempts(delivery_id, 2)
    assert Processed.objects.count() == 0
    shop.set_mode("healthy")
    for delivery_id in fired:
        skip_the_wait(delivery_id)
    for delivery_id in fired:
        wait_until_state(delivery_id, "delivered")
    assert Processed.objects.count() == 5
    assert len(hops("webhooks", "processed")) == 5 and not hops("webhooks", "duplicate")
    refused = [a for a in hops("webhooks", "answer") if a.status == "error"]
    assert len(refused) >= 10 and all("connection refused" in a.error for a in refused)
    assert not Delivery.objects.values("event").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_resend_sends_the_same_webhook_id_which_shop_acknowledges_but_does_not_process_again():
    event, deliveries = outbox.fire("payment.completed")
    wait_until_state(deliveries[0].id, "delivered")
    from patterns.webhooks.resend import resend

    resend(Delivery.objects.get(id=deliveries[0].id))
    eventually(lambda: hops("webhooks", "duplicate"), message="the resent delivery")
    attempts = hops("webhooks", "attempt", correlation_id=event.event_id)
    assert [a.attempt for a in attempts] == [1, 2]
    assert attempts[0].headers["webhook-id"] == attempts[1].headers["webhook-id"]
    assert int(attempts[1].headers["webhook-timestamp"]) >= int(
        attempts[0].headers["webhook-timestamp"]
    )
    assert Processed.objects.count() == 1


def test_a_due_delivery_that_no_worker_was_told_about_is_delivered_by_the_sweeper():
    """As when the broker blinks right after the outbox commit: the rows are there, so nothing is lost."""
    from django.utils import timezone

    from patterns.webhooks import catalog
    from patterns.webhooks.models import Event

    now, event_type = timezone.now(), catalog.TYPES["refund.created"]
    event = Event.objects.create(
        event_id="evt_never_handed_over",
        type=event_type.name,
        source="payments",
        body=catalog.encode(event_type, event_type.sample, now),
        created_at=now,
    )
    lost = Delivery.objects.create(
        event=event, endpoint=endpoints.builtin(), created_at=now, next_attempt_at=now
    )
    wait_until_state(lost.id, "delivered")
    assert Processed.objects.filter(webhook_id="evt_never_handed_over").count() == 1


@pytest.mark.slow
def test_shop_set_to_hang_makes_the_sender_time_out_and_it_is_cancelled_when_the_sender_hangs_up():
    """A hanging Shop never processes what it holds (it only sleeps, then would answer 503 "too
    late" to nobody), so the counts once the retry is delivered are final: there is no later
    record to wait for, and no point sleeping past the stuck request."""
    shop.set_mode("hang")
    event, deliveries = outbox.fire("payment.completed")
    wait_for_attempts(deliveries[0].id, 1, timeout=20)
    shop.set_mode("healthy")
    skip_the_wait(deliveries[0].id)
    wait_until_state(deliveries[0].id, "delivered")
    assert [h.status for h in hops("webhooks", "stuck")] == ["pending"]
    first = hops("webhooks", "answer", correlation_id=event.event_id)[0]
    assert first.status == "error" and "no answer within" in first.error
    assert Processed.objects.count() == 1 and len(hops("webhooks", "processed")) == 1


def test_a_flaky_shop_gets_the_event_on_the_third_attempt():
    shop.set_mode("flaky")
    _, deliveries = outbox.fire("refund.created")
    delivery = wait_until_state(deliveries[0].id, "delivered")
    assert delivery.attempts == 3 and Processed.objects.count() == 1
