"""Every world has its own webhooks: its own Shop receiver (mode and secret), endpoints, events and
poller. Nothing done in one room, or keyless in the shared demo, changes or reads another world."""

import httpx
import pytest

from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room
from patterns.rooms.models import Room
from patterns.webhooks import demo, endpoints, outbox, shop
from patterns.webhooks.models import Delivery, Endpoint
from tests.helpers import eventually
from tests.webhooks.helpers import signed, wait_until_state
from tests.webhooks.parts import OutsideEndpoint


def live(test):
    """Through the real parts: daphne, a Celery worker and beat, on a database they share."""
    marks = (
        pytest.mark.django_db(transaction=True),
        pytest.mark.usefixtures("celery_worker", "celery_beat"),
    )
    for mark in marks:
        test = mark(test)
    return test


def room():
    opened, key = Room.open("worlds")
    return opened.code, key


def headers(code="", key=""):
    return {name: value for name, value in (("X-Room", code), ("X-Room-Key", key)) if value}


def call(server, method, path, code="", key="", body=None):
    return httpx.request(
        method,
        f"{server.url}/api/webhooks{path}",
        json=body,
        headers=headers(code, key),
        timeout=20,
    )


def mode_of(code):
    with in_room(code):
        return shop.state().mode


@live
def test_one_rooms_offline_receiver_leaves_the_shared_demo_and_another_room_healthy(asgi_server):
    (a, a_key), (b, b_key) = room(), room()
    assert call(asgi_server, "PUT", "/receiver", a, a_key, {"mode": "offline"}).status_code == 200
    assert (mode_of(a), mode_of(b), mode_of("")) == ("offline", "healthy", "healthy")
    assert call(asgi_server, "GET", "/receiver", b).json()["mode"] == "healthy"
    fired = call(asgi_server, "POST", "/events", b, b_key, {"type": "payment.completed"}).json()
    [delivery] = fired["deliveries"]
    assert wait_until_state(delivery["id"], "delivered").attempts == 1  # first time


@pytest.mark.django_db
def test_served_a_keyless_change_to_the_shared_receiver_or_a_secret_is_refused(client, settings):
    settings.PLAYGROUND_OWNER_KEY = "the-owners-key"
    builtin = endpoints.builtin()
    before = shop.state().secret
    answer = client.put("/api/webhooks/receiver", {"mode": "offline"}, "application/json")
    rotated = client.post(f"/api/webhooks/endpoints/{builtin.id}/rotate-secret")
    assert (answer.status_code, rotated.status_code) == (403, 403)
    assert answer.json()["field"] == rotated.json()["field"] == "X-Owner-Key"
    assert shop.state().mode == "healthy" and shop.state().secret == before
    assert Endpoint.objects.get(id=builtin.id).secret == before


@pytest.mark.django_db
def test_endpoints_show_their_secret_only_to_their_worlds_key_holder(client, settings):
    settings.PLAYGROUND_OWNER_KEY = "the-owners-key"
    code, key = room()
    for world, without, with_key in (
        (code, {"HTTP_X_ROOM": code}, {"HTTP_X_ROOM": code, "HTTP_X_ROOM_KEY": key}),
        ("", {}, {"HTTP_X_OWNER_KEY": "the-owners-key"}),
    ):
        with in_room(world):
            secret = shop.state().secret
        [seen] = client.get("/api/webhooks/endpoints", **without).json()
        one = client.get(f"/api/webhooks/endpoints/{seen['id']}", **without).json()
        assert seen["secret"] is None and one["secret"] is None
        assert secret not in str(seen) + str(one)
        [shown] = client.get("/api/webhooks/endpoints", **with_key).json()
        assert shown["id"] == seen["id"] and shown["secret"] == secret


@live
def test_an_event_fired_in_a_room_reaches_only_that_rooms_endpoints(asgi_server, outside):
    (a, a_key), (b, b_key) = room(), room()
    in_b, in_shared = OutsideEndpoint(), OutsideEndpoint()
    try:
        added = {
            world: call(asgi_server, "POST", "/endpoints", world, key, {"url": out.url}).json()
            for world, key, out in ((a, a_key, outside), (b, b_key, in_b), ("", "", in_shared))
        }
        fired = call(asgi_server, "POST", "/events", a, a_key, {"type": "order.shipped"}).json()
        with in_room(a):
            mine = {endpoints.builtin().id, added[a]["id"]}
        sent_to = Delivery.objects.filter(event__event_id=fired["event_id"])
        assert set(sent_to.values_list("endpoint_id", flat=True)) == mine
        eventually(lambda: outside.requests, message="room A's endpoint to be called")
        for delivery in sent_to:
            wait_until_state(delivery.id, "delivered")
        assert outside.requests[0]["headers"]["webhook-id"] == fired["event_id"]
        # What left for the outside carries no world: that stays between our own processes.
        assert "x-playground-world" not in {h.lower() for h in outside.requests[0]["headers"]}
        assert in_b.requests == [] and in_shared.requests == []  # no delivery was made for them
        listed = call(asgi_server, "GET", f"/deliveries?event={fired['event_id']}", b).json()
        assert listed == []
    finally:
        in_b.close()
        in_shared.close()


@live
def test_a_keyless_request_reusing_a_rooms_webhook_id_never_lands_in_that_room(asgi_server):
    code, key = room()
    fired = call(asgi_server, "POST", "/events", code, key, {"type": "payment.completed"}).json()
    event_id = fired["event_id"]
    wait_until_state(fired["deliveries"][0]["id"], "delivered")
    exchange = Message.objects.filter(correlation_id=event_id)
    assert eventually(lambda: exchange.filter(hop="processed").first()).room == code
    in_the_room = exchange.filter(room=code).count()
    with in_room(code):
        room_secret = shop.state().secret
    url = f"{asgi_server.url}{shop.RECEIVER_PATH}"
    # Even signed with the room's own secret, a request that is not ours is the shared demo's.
    body, sent = signed(room_secret, webhook_id=event_id)
    assert httpx.post(url, content=body, headers=sent, timeout=10).status_code == 401
    with in_room(""):
        body, sent = signed(shop.state().secret, webhook_id=event_id)
    answer = httpx.post(url, content=body, headers=sent, timeout=10)
    assert answer.json() == {"ok": True, "processed": True}  # news to the shared demo's Shop
    assert exchange.filter(room=code).count() == in_the_room
    assert list(exchange.filter(room="").values_list("hop", flat=True)) == [
        "rejected",
        "processed",
    ]


@live
def test_a_healthy_receiver_re_enables_the_shop_endpoint_that_gone_disabled(asgi_server):
    code, key = room()
    assert call(asgi_server, "PUT", "/receiver", code, key, {"mode": "gone"}).status_code == 200
    fired = call(asgi_server, "POST", "/events", code, key, {"type": "payment.completed"}).json()
    wait_until_state(fired["deliveries"][0]["id"], "failed")
    with in_room(code):
        builtin = endpoints.builtin()
    assert builtin.disabled and "410" in builtin.disabled_reason
    healed = call(asgi_server, "PUT", "/receiver", code, key, {"mode": "healthy"}).json()
    assert healed["mode"] == "healthy" and "Shop's endpoint re-enabled" in healed["detail"]
    builtin.refresh_from_db()
    assert (builtin.disabled, builtin.disabled_reason, builtin.failure_run) == (False, "", 0)
    # Disabled by hand is a decision, not a failure: a healthy receiver leaves it disabled.
    call(asgi_server, "PATCH", f"/endpoints/{builtin.id}", code, key, {"disabled": True})
    again = call(asgi_server, "PUT", "/receiver", code, key, {"mode": "healthy"}).json()
    builtin.refresh_from_db()
    assert builtin.disabled and again["detail"] == ""


@pytest.mark.django_db
def test_a_rooms_reset_puts_that_room_back_and_leaves_another_room_alone(client):
    (a, a_key), (b, b_key) = room(), room()
    for code, key, mode in ((a, a_key, "offline"), (b, b_key, "error")):
        answer = client.put(
            "/api/webhooks/receiver",
            {"mode": mode},
            "application/json",
            HTTP_X_ROOM=code,
            HTTP_X_ROOM_KEY=key,
        )
        assert answer.status_code == 200
    done = demo.reset(a)
    assert done["was"] == {"receiver": "offline"} and done["world"] == a
    assert (mode_of(a), mode_of(b), mode_of("")) == ("healthy", "error", "healthy")


@pytest.mark.django_db
def test_another_worlds_endpoints_and_deliveries_are_not_found(client):
    code, key = room()
    theirs = endpoints.builtin()  # the shared demo's
    event, [delivery] = outbox.fire("payment.completed")
    as_a = {"HTTP_X_ROOM": code, "HTTP_X_ROOM_KEY": key}
    tries = [
        client.get(f"/api/webhooks/endpoints/{theirs.id}", **as_a),
        client.patch(
            f"/api/webhooks/endpoints/{theirs.id}", {"disabled": True}, "application/json", **as_a
        ),
        client.post(f"/api/webhooks/endpoints/{theirs.id}/rotate-secret", **as_a),
        client.get(f"/api/webhooks/deliveries/{delivery.id}", **as_a),
        client.post(f"/api/webhooks/deliveries/{delivery.id}/resend", **as_a),
    ]
    assert [t.status_code for t in tries] == [404] * 5
    assert client.get(f"/api/webhooks/events?after={event.id - 1}", **as_a).json()["events"] == []
    theirs_now = Endpoint.objects.get(id=theirs.id)
    assert (theirs_now.disabled, theirs_now.secret) == (False, theirs.secret)
