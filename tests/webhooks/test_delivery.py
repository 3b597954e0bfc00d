"""Deliveries through real parts: the outbox, a real Celery worker and beat (the sweeper), real
HTTP to Shop's receiver on a real daphne or to an endpoint outside the playground."""

import time

import pytest
from django.db.models import Count
from standardwebhooks.webhooks import Webhook

from patterns.ledger.models import Message
from patterns.webhooks import endpoints, outbox, shop
from patterns.webhooks.models import Delivery, Endpoint, Processed
from tests.conftest import wait_for
from tests.webhooks.helpers import hops, skip_the_wait, wait_for_attempts, wait_until_state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("asgi_server", "celery_worker", "beat")]


def only_outside(outside, **options):
    """Subscribe the outside endpoint and switch Shop's built-in one off, to watch one endpoint."""
    Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
    return endpoints.create(outside.url, "outside the playground", **options)


def test_an_event_reaches_shop_and_every_hop_is_in_the_ledger():
    event, deliveries = outbox.fire("payment.completed")
    delivery = wait_until_state(deliveries[0].id, "delivered")
    assert delivery.attempts == 1 and delivery.last_status_code == 200
    wait_for(lambda: len(hops("answer")) == 1, message="the answer hop")
    exchange = Message.objects.filter(correlation_id=event.event_id)
    assert [m.hop for m in exchange] == ["event", "attempt", "processed", "answer"]
    assert all(m.valid for m in exchange)
    attempt = exchange.get(hop="attempt")
    assert attempt.headers["webhook-id"] == event.event_id and attempt.headers["webhook-signature"].startswith("v1,")
    assert Processed.objects.filter(webhook_id=event.event_id).count() == 1


def test_an_outside_endpoint_gets_deliveries_that_verify_with_the_standardwebhooks_library(outside):
    endpoint = only_outside(outside)
    event, _ = outbox.fire("order.shipped")
    wait_for(lambda: outside.requests, message="the outside endpoint to be called")
    request = outside.requests[0]
    payload = Webhook(endpoint.secret).verify(request["body"].decode(), request["headers"])
    assert payload["type"] == "order.shipped" and payload["data"]["carrier"] == "DHL"
    assert request["headers"]["webhook-id"] == event.event_id


def test_during_a_rotation_both_the_old_and_the_new_secret_verify(outside):
    endpoint = only_outside(outside)
    old = endpoint.secret
    new = endpoints.rotate(endpoint).secret
    outbox.fire("payment.completed")
    wait_for(lambda: outside.requests, message="a delivery")
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
    answers = hops("answer", correlation_id=event.event_id)
    assert [(a.attempt, a.status_code, a.status) for a in answers] == [(1, 500, "error"), (2, 500, "error"), (3, 200, "ok")]


def test_410_disables_the_endpoint_and_stops_the_attempts(outside):
    outside.script = [410]
    endpoint = only_outside(outside)
    _, deliveries = outbox.fire("refund.created")
    wait_until_state(deliveries[0].id, "failed")
    endpoint.refresh_from_db()
    assert endpoint.disabled and "410" in endpoint.disabled_reason
    outbox.fire("refund.created")  # a disabled endpoint is sent nothing
    time.sleep(2)
    assert len(outside.requests) == 1


def test_a_429_with_retry_after_is_honoured(outside):
    outside.script = [(429, {"Retry-After": "2"}, 0), 200]
    only_outside(outside)
    _, deliveries = outbox.fire("payment.completed")
    wait_until_state(deliveries[0].id, "delivered", timeout=30)
    first, second = outside.requests
    assert second["at"] - first["at"] >= 2  # the ladder alone would retry after 5 story seconds (3.5 ms)
    assert "Retry-After" in Delivery.objects.get(id=deliveries[0].id).attempt_set.get(number=1).error


def test_a_receiver_that_hangs_is_recorded_as_a_timeout(outside):
    outside.script = [(200, {}, 4), 200]
    only_outside(outside)
    _, deliveries = outbox.fire("user.signed_up")
    delivery = wait_until_state(deliveries[0].id, "delivered", timeout=40)
    first = delivery.attempt_set.get(number=1)
    assert first.status_code is None and "no answer within the 2 s timeout" in first.error
    assert 1900 <= first.duration_ms < 4000
    answer = hops("answer", attempt=1)[0]
    assert answer.status == "error" and "timeout" in answer.error


def test_an_exhausted_ladder_marks_the_message_failed_and_a_run_of_them_disables_the_endpoint(outside):
    outside.script = [500]
    endpoint = only_outside(outside, disable_after=1)
    _, deliveries = outbox.fire("payment.completed")
    for n in range(1, 8):
        wait_for_attempts(deliveries[0].id, n)
        skip_the_wait(deliveries[0].id)  # fast-forward the story to the next rung of the ladder
    delivery = wait_until_state(deliveries[0].id, "failed")
    assert delivery.attempts == 8 and len(outside.requests) == 8 and "all 8 attempts used" in delivery.last_error
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
    assert len(hops("processed")) == 5 and not hops("duplicate")
    refused = [a for a in hops("answer") if a.status == "error"]
    assert len(refused) >= 10 and all("connection refused" in a.error for a in refused)
    assert not Delivery.objects.values("event").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_resend_sends_the_same_webhook_id_which_shop_acknowledges_but_does_not_process_again():
    event, deliveries = outbox.fire("payment.completed")
    wait_until_state(deliveries[0].id, "delivered")
    from patterns.webhooks.resend import resend

    resend(Delivery.objects.get(id=deliveries[0].id))
    wait_for(lambda: hops("duplicate"), message="the resent delivery")
    attempts = hops("attempt", correlation_id=event.event_id)
    assert [a.attempt for a in attempts] == [1, 2]
    assert attempts[0].headers["webhook-id"] == attempts[1].headers["webhook-id"]
    assert int(attempts[1].headers["webhook-timestamp"]) >= int(attempts[0].headers["webhook-timestamp"])
    assert Processed.objects.count() == 1


def test_a_due_delivery_that_no_worker_was_told_about_is_delivered_by_the_sweeper():
    """As when the broker blinks right after the outbox commit: the rows are there, so nothing is lost."""
    from django.utils import timezone

    from patterns.webhooks import catalog
    from patterns.webhooks.models import Event

    now, event_type = timezone.now(), catalog.TYPES["refund.created"]
    event = Event.objects.create(event_id="evt_never_handed_over", type=event_type.name, source="payments",
                                 body=catalog.encode(event_type, event_type.sample, now), created_at=now)
    lost = Delivery.objects.create(event=event, endpoint=endpoints.builtin(), created_at=now, next_attempt_at=now)
    wait_until_state(lost.id, "delivered")
    assert Processed.objects.filter(webhook_id="evt_never_handed_over").count() == 1


def test_shop_set_to_hang_makes_the_sender_time_out_and_it_is_cancelled_when_the_sender_hangs_up():
    shop.set_mode("hang")
    event, deliveries = outbox.fire("payment.completed")
    wait_for_attempts(deliveries[0].id, 1, timeout=20)
    shop.set_mode("healthy")
    skip_the_wait(deliveries[0].id)
    wait_until_state(deliveries[0].id, "delivered")
    assert [h.status for h in hops("stuck")] == ["pending"]
    first = hops("answer", correlation_id=event.event_id)[0]
    assert first.status == "error" and "no answer within" in first.error
    time.sleep(4)  # past the stuck request's own sleep: it was cancelled, so nothing more happened
    assert Processed.objects.count() == 1 and len(hops("processed")) == 1


def test_a_flaky_shop_gets_the_event_on_the_third_attempt():
    shop.set_mode("flaky")
    _, deliveries = outbox.fire("refund.created")
    delivery = wait_until_state(deliveries[0].id, "delivered")
    assert delivery.attempts == 3 and Processed.objects.count() == 1
