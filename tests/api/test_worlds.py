"""Shop's API demo state is per world: a room's switches, buckets, poller and idempotency keys
change nothing another room or the shared demo sees, and the shared demo changes only with its key
when the playground is served to others."""

import httpx
import pytest

from patterns.api import demo, poller, state, switches
from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room
from patterns.rooms.models import Room
from patterns.site import storytime

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])
JSON = "application/json"


KEYS = {}  # the rooms' control keys: these tests are the rooms' instructors


@pytest.fixture
def rooms():
    """Two open rooms: {code: control key}."""
    opened = dict((room.code, key) for room, key in (Room.open("a"), Room.open("b")))
    KEYS.update(opened)
    return opened


def in_(code, key=None):
    """Test-client headers that put a request in room `code`, as its instructor (a call to Shop's
    API is a recorded exchange: in a room only its key may make one)."""
    key = key or KEYS.get(code)
    headers = {"HTTP_X_ROOM": code} if code else {}
    return {**headers, "HTTP_X_ROOM_KEY": key} if key else headers


def set_mode(client, mode, code="", key=None):
    return client.put("/api/api/shop-mode", {"mode": mode}, content_type=JSON, **in_(code, key))


def shop_status(client, code=""):
    return client.get("/api/shop/orders?limit=1", **in_(code)).status_code


def test_a_room_that_switches_shop_down_leaves_shop_up_for_the_others(client, rooms, shop):
    (a, key_a), (b, _) = rooms.items()
    assert set_mode(client, "down", a, key_a).json()["mode"] == "down"
    assert shop_status(client, a) == 503
    assert (shop_status(client, b), shop_status(client), shop_status(client, b)) == (200, 200, 200)
    assert client.get("/api/api/shop-mode", **in_(b)).json()["mode"] == "healthy"
    assert client.get("/api/api/shop-mode").json()["mode"] == "healthy"


def test_a_room_key_does_not_open_another_room(client, rooms):
    (a, key_a), (b, _) = rooms.items()
    refused = set_mode(client, "erroring", b, key_a)
    assert refused.status_code == 403 and refused.json()["field"] == "X-Room-Key"
    with in_room(b):
        assert switches.mode() == "healthy"


def test_served_to_others_the_shared_demos_mode_changes_only_with_the_owner_key(client, settings):
    settings.PLAYGROUND_OWNER_KEY = "owner-secret"
    refused = set_mode(client, "erroring")
    assert refused.status_code == 403 and refused.json()["error"] == "owner_key_required"
    assert client.get("/api/api/shop-mode").json()["mode"] == "healthy"
    allowed = client.put(
        "/api/api/shop-mode",
        {"mode": "erroring"},
        content_type=JSON,
        HTTP_X_OWNER_KEY="owner-secret",
    )
    assert allowed.status_code == 200 and switches.mode() == "erroring"


def test_one_worlds_rate_limit_bucket_does_not_drain_anothers(client, rooms, settings, shop):
    settings.SHOP_API_RATE_LIMIT = "3/60s"
    (a, _), (b, _) = rooms.items()
    answers = [
        client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="console-ada", **in_(a))
        for _ in range(4)
    ]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    for code in (b, ""):  # the same client id, in another world: a full bucket
        fresh = client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="console-ada", **in_(code))
        assert fresh.status_code == 200 and fresh["RateLimit-Remaining"] == "2"


def test_an_idempotency_key_used_in_one_room_places_a_new_order_in_another(client, rooms, ids):
    (a, key_a), (b, key_b) = rooms.items()
    order = {"customer_id": ids.customer, "total": "12.50"}

    def place(code, key):
        return client.post(
            "/api/shop/orders",
            order,
            content_type=JSON,
            HTTP_IDEMPOTENCY_KEY="same-key-1",
            **in_(code, key),
        )

    first, again, other = place(a, key_a), place(a, key_a), place(b, key_b)
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 201)
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert other.json()["id"] != first.json()["id"] and not other.has_header("Idempotent-Replayed")


def test_a_room_poller_polls_in_its_room_and_nowhere_else(asgi_server, rooms):
    (a, key_a), (b, _) = rooms.items()
    started = httpx.post(
        f"{asgi_server.url}/api/api/poller",
        json={"action": "start", "every": storytime.to_story(1)},
        headers={"X-Room": a, "X-Room-Key": key_a},
        timeout=20,
    )
    assert started.status_code == 200 and started.json()["running"] is True
    assert poller.snapshot()["running"] is False  # the shared demo's poller is still off
    with in_room(a):
        switches.set_mode("erroring")
    assert poller.tick() == [a]  # a beat tick with no world polls in the room whose poller runs
    with in_room(a):
        assert poller.snapshot()["failed"] == 1  # it met room A's Shop, which is erroring
    with in_room(b):
        assert poller.snapshot()["requests"] == 0
    polls = Message.objects.filter(style="api", source="poller")
    assert polls.exists() and set(polls.values_list("room", flat=True)) == {a}
    with in_room(a):
        poller.stop()
    assert poller.tick() == []


def test_a_reset_puts_back_only_its_own_world(client, rooms, shop):
    (a, key_a), (b, key_b) = rooms.items()
    for code, key in ((a, key_a), (b, key_b), ("", None)):
        set_mode(client, "erroring", code, key)
        with in_room(code):
            poller.start(storytime.to_story(60))
    for code in (a, b, ""):
        client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="console-ada", **in_(code))

    done = demo.reset(a)

    assert done["now"] == {"shop_mode": "healthy", "clients_with_a_used_bucket": 0, "poller": "off"}
    assert done["was"]["shop_mode"] == "erroring" and done["was"]["clients_with_a_used_bucket"] == 1
    for code in (b, ""):
        with in_room(code):
            assert switches.mode() == "erroring" and poller.snapshot()["running"] is True
            assert demo.PIECES[1].read() == 1
    assert state.client().smembers(poller.RUNNING) == {b, ""}  # room A's left the beat's rounds
