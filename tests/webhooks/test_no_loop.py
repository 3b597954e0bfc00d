"""A delivery can never fire an event: whatever address it reaches, no trigger takes it."""

import httpx
import pytest
from django.test import Client

from patterns.webhooks import endpoints, outbox
from patterns.webhooks.models import Endpoint, Event
from tests.webhooks.helpers import signed, wait_for_attempts
from tests.webhooks.parts import OutsideEndpoint

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_carrying_webhook_headers_reaches_no_trigger_only_the_receiver():
    body, headers = signed()
    http = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    fired = Client().post("/api/webhooks/events", body, content_type="application/json", **http)
    assert fired.status_code == 403 and fired.json()["error"] == "webhook_delivery_refused"
    tricked = Client().post(
        "/x/../api/webhooks/events", body, content_type="application/json", HTTP_WEBHOOK_ID="evt_1"
    )
    assert tricked.status_code == 403
    assert not Event.objects.exists()
    assert (
        Client()
        .post("/webhooks/receiver/", body, content_type="application/json", **http)
        .status_code
        == 200
    )


def test_a_relay_that_passes_deliveries_to_the_event_api_cannot_make_a_second_event(
    server_env, asgi_server, celery_worker
):
    """The relay is an allowed address (like a machine on an opened classroom LAN) that forwards
    what it gets to the playground's own event API: without the guard, every delivery would fire
    an event, whose delivery fires the next."""
    answers = []

    def forward(request):
        headers = {
            k: v
            for k, v in request["headers"].items()
            if k.lower() not in ("host", "content-length")
        }
        answer = httpx.post(
            f"{asgi_server.url}/api/webhooks/events", content=request["body"], headers=headers
        )
        answers.append(answer)
        return answer.status_code

    relay = OutsideEndpoint()
    relay.script = [forward]
    try:
        Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
        endpoints.create(relay.url, "a relay back to the playground")
        _, (delivery,) = outbox.fire("payment.completed")
        attempt = wait_for_attempts(delivery.id, 1)
    finally:
        relay.close()
    assert attempt.status_code == 403 and answers[0].json()["error"] == "webhook_delivery_refused"
    assert Event.objects.count() == 1
