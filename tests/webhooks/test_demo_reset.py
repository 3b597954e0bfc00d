"""Reset puts the webhooks demo back to its defaults, and the ledger says so."""

import json

import pytest

from patterns.ledger.models import Message
from patterns.webhooks import demo
from patterns.webhooks.models import Delivery, Endpoint
from playground.celery import app as celery_app
from tests.servers import OUTSIDE_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def purge_queue():
    yield
    celery_app.control.purge()  # nothing here has a worker: leave no job behind


def call(client, method, path, body=None):
    return getattr(client, method)(
        f"/api/webhooks{path}", json.dumps(body or {}), content_type="application/json"
    )


def test_reset_heals_the_receiver_restores_shops_endpoint_removes_added_ones_and_stops_the_poller(
    client, settings
):
    settings.WEBHOOKS_ALLOWED_NETWORKS = [
        f"{OUTSIDE_HOST}/32"
    ]  # a student's receiver on the classroom LAN
    shop = client.get("/api/webhooks/endpoints").json()[0]
    assert call(client, "put", "/receiver", {"mode": "offline"}).status_code == 200
    call(
        client,
        "patch",
        f"/endpoints/{shop['id']}",
        {"disabled": True, "event_types": ["payment.completed"]},
    )
    call(client, "post", f"/endpoints/{shop['id']}/rotate-secret")
    added = call(client, "post", "/endpoints", {"url": f"http://{OUTSIDE_HOST}:9/hooks"}).json()
    call(client, "post", "/events", {"type": "payment.completed"})
    assert Delivery.objects.filter(endpoint_id=added["id"], state="pending").count() == 1
    assert call(client, "post", "/compare/start", {"interval": 900}).json()["running"] is True

    done = demo.reset("")  # the shared demo: the world the calls above changed

    assert client.get("/api/webhooks/receiver").json()["mode"] == "healthy"
    [endpoint] = client.get("/api/webhooks/endpoints").json()
    assert (
        endpoint["id"] == shop["id"] and endpoint["secret_hint"] != shop["secret_hint"]
    )  # the secret stays new
    assert (endpoint["disabled"], endpoint["event_types"], endpoint["rotating_until"]) == (
        False,
        [],
        None,
    )
    # Removed as the page's Delete removes one: what waited for it is cancelled, its history kept.
    assert not Delivery.objects.filter(endpoint_id=added["id"], state="pending").exists()
    assert client.get("/api/webhooks/compare").json() == {
        **client.get("/api/webhooks/compare").json(),
        "running": False,
        "poll": None,
    }
    message = Message.objects.get(kind="demo.reset", style="webhooks")
    assert message.valid is True and message.status == "ok" and message.room == ""
    assert message.payload["was"] == {
        "receiver": "offline",
        "added_endpoints": 1,
        "shop_endpoint": "disabled: disabled by hand",
        "poller": "running every 15 min (story)",
    }
    assert message.payload["now"] == {
        "receiver": "healthy",
        "added_endpoints": 0,
        "shop_endpoint": "enabled",
        "poller": "off",
    }
    # The page's receiver switch follows the ledger: the mode change is recorded in the same world.
    assert Message.objects.filter(hop="mode", room="").last().payload == {"mode": "healthy"}
    assert done["message_id"] == message.id


def test_an_endpoint_changed_but_enabled_is_put_back_too(client):
    shop = client.get("/api/webhooks/endpoints").json()[0]
    call(client, "patch", f"/endpoints/{shop['id']}", {"disable_after": 9})
    assert demo.reset()["was"] == {"shop_endpoint": "enabled, changed: disable_after"}
    assert Endpoint.objects.get(key="shop").disable_after == 3
