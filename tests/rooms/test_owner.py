"""The owner: served to others, the shared demo and what every room shares change only with the
owner's key; a laptop used alone needs no key. A request naming no room acts in the shared demo,
never in a room by reusing one of its correlation ids; a world travels between our own processes
only signed."""

import pytest

from patterns.ledger.models import Message
from patterns.ledger.recorder import record
from patterns.ledger.roomctx import WORLD_HEADER, world_header
from playground.management.commands.playground import Command

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")
OWNER = "the-owners-key-0123456789"


@pytest.fixture
def served(settings):
    settings.PLAYGROUND_OWNER_KEY = OWNER


SHARED_DEMO_CHANGES = [
    ("post", "/api/ping", {"note": "hi"}),
    ("post", "/api/webhooks/events", {"type": "payment.completed"}),
    ("put", "/api/webhooks/receiver", {"mode": "offline"}),
    ("post", "/api/shop/orders", {"customer_id": 1, "items": [{"sku": "X", "quantity": 1}]}),
    ("post", "/api/queue/workers", {"action": "pause"}),
    ("post", "/api/reset", {}),
]


@pytest.mark.parametrize(
    "method,path,body", SHARED_DEMO_CHANGES, ids=[c[1] for c in SHARED_DEMO_CHANGES]
)
def test_served_a_change_to_the_shared_demo_without_the_owner_key_is_refused(
    served, client, method, path, body
):
    before = Message.objects.count()
    for headers in ({}, {"HTTP_X_OWNER_KEY": "a-guess"}):
        response = getattr(client, method)(path, body, content_type="application/json", **headers)
        assert response.status_code == 403, response.content
        assert response.json()["error"] == "owner_key_required"
    assert Message.objects.count() == before


def test_served_the_owner_key_changes_the_shared_demo(served, client):
    response = client.post(
        "/api/reset", {}, content_type="application/json", HTTP_X_OWNER_KEY=OWNER
    )
    assert response.status_code == 200, response.content
    assert set(response.json()["demo"]) >= {
        "webhooks",
        "api",
        "queue",
        "streams",
        "files",
        "database",
    }


def test_on_a_laptop_used_alone_nobody_needs_a_key(client):
    assert client.get("/api/owner").json() == {"served": False, "owner": True}
    response = client.post("/api/reset", {}, content_type="application/json")
    assert response.status_code == 200, response.content


def test_the_owner_endpoint_says_who_holds_the_key(served, client):
    assert client.get("/api/owner").json() == {"served": True, "owner": False}
    assert client.get("/api/owner", HTTP_X_OWNER_KEY=OWNER).json() == {
        "served": True,
        "owner": True,
    }


def test_served_a_shared_control_in_a_room_needs_the_owner_not_the_room_key(served, client, room):
    code, key = room
    response = client.post(
        "/api/queue/workers",
        {"action": "pause"},
        content_type="application/json",
        HTTP_X_ROOM=code,
        HTTP_X_ROOM_KEY=key,
    )
    assert response.status_code == 403 and response.json()["error"] == "owner_key_required"
    assert "shared by every room" in response.json()["detail"]


def test_a_request_naming_no_room_never_joins_a_rooms_log_by_its_correlation_id(client, room):
    code, _ = room
    record(
        style="api",
        kind="order.create",
        hop="request",
        source="client",
        target="shop",
        room=code,
        correlation_id="cid-of-a-room",
    )
    response = client.get("/api/shop/orders", HTTP_X_REQUEST_ID="cid-of-a-room")
    assert response.status_code == 200
    from tests.helpers import eventually

    rows = eventually(
        lambda: list(Message.objects.filter(correlation_id="cid-of-a-room").exclude(hop="request"))
    )
    assert rows and {m.room for m in rows} == {""}


def test_a_signed_world_is_trusted_and_a_forged_one_is_not(served, client, room):
    code, _ = room
    body = {"type": "payment.completed"}
    forged = {f"HTTP_{WORLD_HEADER.upper().replace('-', '_')}": f"{code}:forged:sig"}
    refused = client.post("/api/webhooks/events", body, content_type="application/json", **forged)
    assert refused.status_code == 403  # a forged world is no world: the shared demo, keyless
    signed = {f"HTTP_{WORLD_HEADER.upper().replace('-', '_')}": world_header(code)[WORLD_HEADER]}
    accepted = client.post("/api/webhooks/events", body, content_type="application/json", **signed)
    assert accepted.status_code in (200, 201, 202), accepted.content
    assert Message.objects.filter(style="webhooks", room=code).exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_served_beyond_loopback_the_children_get_an_owner_key_that_survives_a_restart(
    host, monkeypatch
):
    monkeypatch.delenv("PLAYGROUND_OWNER_KEY", raising=False)
    first, again = Command()._child_env(host, 8000), Command()._child_env(host, 8000)
    assert len(first["PLAYGROUND_OWNER_KEY"]) > 40
    assert again["PLAYGROUND_OWNER_KEY"] == first["PLAYGROUND_OWNER_KEY"]


def test_on_loopback_there_is_no_owner_key_unless_behind_a_proxy(monkeypatch):
    monkeypatch.delenv("PLAYGROUND_OWNER_KEY", raising=False)
    assert "PLAYGROUND_OWNER_KEY" not in Command()._child_env("127.0.0.1", 8000)
    behind = Command()
    behind.served = True
    assert behind._child_env("127.0.0.1", 8000)["PLAYGROUND_OWNER_KEY"]
