"""Room codes are not guessed: after LIMIT different codes that do not exist within a window, a
client's every look-up of a code — the guard, the rooms API, the join page, the QR code, the feed
socket — answers 429 with Retry-After until the window passes; other clients are unaffected."""

import json

import httpx
import pytest
import redis
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from patterns.ledger.models import Message
from patterns.rooms import guesses
from patterns.rooms.models import ALPHABET
from patterns.site import redisclient

pytestmark = pytest.mark.django_db
ELSEWHERE = {"REMOTE_ADDR": "10.1.2.3"}


def wrong_codes(n):
    return ["".join(ALPHABET[(i * 7 + j) % len(ALPHABET)] for j in range(5)) for i in range(n)]


def miss(client, codes, **extra):
    for code in codes:
        assert client.get(f"/api/rooms/{code}", **extra).status_code == 404


def assert_too_many(response, json_body=True):
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= guesses.WINDOW
    if json_body:
        assert response.json()["error"] == "too_many_guesses"
        assert response.json()["field"] == "room"
    else:
        assert "Too many room codes" in response.content.decode()


def test_after_ten_misses_every_look_up_is_429_with_retry_after(client, room):
    code, _ = room
    assert client.get(f"/api/rooms/{code}").status_code == 200  # a hit before the limit works
    miss(client, wrong_codes(guesses.LIMIT))
    assert_too_many(client.get(f"/api/rooms/{code}"))  # a hit too, or guessing would go on
    assert_too_many(client.get("/api/rooms/QQQQQ"))
    assert_too_many(client.post(f"/api/ping?room={code}", {}, content_type="application/json"))
    assert_too_many(client.get("/api/messages", {"room": code}))
    assert_too_many(client.get(f"/r/{code}"), json_body=False)
    assert_too_many(client.get(f"/rooms/{code}/qr.svg"), json_body=False)
    assert_too_many(client.get("/webhooks/", {"room": code}), json_body=False)
    assert Message.objects.count() == 0
    # Another client is unaffected, and the shared demo needs no code.
    assert client.get(f"/api/rooms/{code}", **ELSEWHERE).status_code == 200
    assert client.get("/api/messages").status_code == 200


def test_the_same_wrong_code_asked_again_is_one_mistake(client, room):
    code, _ = room
    for _ in range(3 * guesses.LIMIT):
        assert client.get("/api/messages", {"room": "QQQQQ"}).status_code == 404
    assert client.get(f"/r/{code}").status_code == 200


def test_misses_anywhere_count_together(client, room):
    code, _ = room
    codes = wrong_codes(guesses.LIMIT)
    for n, wrong in enumerate(codes):
        where = (f"/api/rooms/{wrong}", f"/r/{wrong}", f"/rooms/{wrong}/qr.svg", f"/?room={wrong}")
        response = client.get(where[n % 4])
        assert response.status_code in (200, 404)  # a page naming an unknown room says so itself
    assert_too_many(client.get(f"/api/rooms/{code}"))


def test_a_look_up_goes_ahead_when_redis_cannot_be_reached(client, room, monkeypatch):
    code, _ = room
    gone = redis.Redis(host="127.0.0.1", port=1, **redisclient.options())  # nothing listens there
    monkeypatch.setattr(guesses, "_client", gone)
    miss(client, wrong_codes(guesses.LIMIT + 2))
    assert client.get(f"/api/rooms/{code}").status_code == 200


def test_the_feed_socket_counts_and_refuses_like_the_rest(asgi_server, transactional_db):
    for code in wrong_codes(guesses.LIMIT):
        assert httpx.get(f"{asgi_server.url}/api/rooms/{code}", timeout=10).status_code == 404
    ws = connect(f"{asgi_server.ws_url}/ws/feed/?room=QQQQQ", origin=asgi_server.origin)
    frame = json.loads(ws.recv(timeout=10))
    assert frame["type"] == "error" and frame["error"] == "too_many_guesses"
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4429
