"""Reset puts the request/response demo back to its defaults, and the ledger says so."""

import pytest

from patterns.api import demo
from patterns.ledger.models import Message

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])


def put(client, path, body):
    return client.put(f"/api/api/{path}", body, content_type="application/json")


def post(client, path, body):
    return client.post(f"/api/api/{path}", body, content_type="application/json")


def test_reset_heals_shop_fills_every_bucket_stops_the_poller_and_is_recorded(client, shop):
    assert put(client, "shop-mode", {"mode": "down"}).json()["mode"] == "down"
    for _ in range(3):  # a student hammers Shop: their bucket is no longer full
        client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="console-ada")
    assert (
        client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="console-ada")[
            "RateLimit-Remaining"
        ]
        != "20"
    )
    assert post(client, "poller", {"action": "start"}).json()["running"] is True

    done = demo.reset()

    assert client.get("/api/api/shop-mode").json() == {
        "mode": "healthy",
        "explanation": "Shop answers normally.",
        "heals_in": None,
    }
    assert (
        client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="console-ada")[
            "RateLimit-Remaining"
        ]
        == "19"
    )
    poller = client.get("/api/api/poller").json()
    assert poller["running"] is False and poller["requests"] == 0
    [message] = Message.objects.filter(style="api", kind="demo.reset")
    assert message.valid is True and message.status == "ok" and message.room == ""
    assert message.payload["was"]["shop_mode"] == "down" and message.payload["was"][
        "poller"
    ].startswith("running")
    assert message.payload["now"] == {
        "shop_mode": "healthy",
        "clients_with_a_used_bucket": 0,
        "poller": "off",
    }
    assert done["message_id"] == message.id


def test_a_reset_of_a_demo_at_its_defaults_changes_nothing_and_says_so(client):
    first, second = demo.reset(), demo.reset("ROOM7")
    assert first["was"] == {} and second["was"] == {}
    assert list(Message.objects.filter(kind="demo.reset").values_list("room", flat=True)) == [
        "",
        "ROOM7",
    ]
