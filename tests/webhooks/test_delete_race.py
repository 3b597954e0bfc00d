"""Deleting an endpoint while events are fired and delivered to it: never a 500, and what was on
its way to it ends cleanly (nothing waits forever for an endpoint that is gone)."""

import json
import threading

import httpx
import pytest
from django.test import Client

from patterns.webhooks.models import Delivery
from tests.helpers import eventually

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]
ROUNDS = 25


def keep_firing(server, stop, statuses):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        while not stop.is_set():
            statuses.append(
                http.post("/api/webhooks/events", json={"type": "payment.completed"}).status_code
            )


@pytest.mark.slow
def test_deleting_endpoints_while_events_fire_and_deliver_never_answers_500(asgi_server, outside):
    outside.script = [(200, {}, 0.02)]  # a receiver that takes a moment: deliveries are in flight
    statuses, stop = [], threading.Event()
    firing = [
        threading.Thread(target=keep_firing, args=(asgi_server, stop, statuses)) for _ in range(2)
    ]
    for thread in firing:
        thread.start()
    client = Client(raise_request_exception=False)  # a separate connection from daphne's
    try:
        for _ in range(ROUNDS):
            made = client.post(
                "/api/webhooks/endpoints",
                json.dumps({"url": outside.url}),
                content_type="application/json",
            )
            statuses.append(made.status_code)
            eventually(
                lambda made=made: Delivery.objects.filter(endpoint_id=made.json()["id"]).exists(),
                message="a delivery to it",
            )
            statuses.append(
                client.delete(f"/api/webhooks/endpoints/{made.json()['id']}").status_code
            )
    finally:
        stop.set()
        for thread in firing:
            thread.join()
    assert statuses and not [s for s in statuses if s >= 500]
    # Every delivery ends, those to deleted endpoints too (and the worker is idle for the next test).
    eventually(
        lambda: not Delivery.objects.filter(state="pending").exists(),
        timeout=60,
        message="every delivery to end",
    )
