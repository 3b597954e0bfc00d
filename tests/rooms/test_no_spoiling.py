"""A student of room A, with no key, tries every write operation the API documents — in room A,
in the shared demo, and in room B by its code — on a playground served to others. Nothing
succeeds, and room B's demo and the shared demo are exactly as they were: the same demo state,
piece by piece, and not one message more in their logs."""

import re

import pytest

from patterns.ledger.models import Message
from patterns.rooms.models import Room
from tests.helpers import demo_state

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")
OWNER = "the-owners-key-0123456789"
UNSAFE = ("post", "put", "patch", "delete")
# What a student may do without a key, because it changes nothing anyone else sees: open a room of
# their own, check a payload against a contract, vote in a question.
ALLOWED = (
    re.compile(r"^/api/rooms/?$"),
    re.compile(r"^/api/contracts/check"),
    re.compile(r"/votes$"),
)


def operations(client):
    document = client.get("/api/openapi.json").json()
    for path, item in document["paths"].items():
        for method in UNSAFE:
            if method in item and not any(p.search(path) for p in ALLOWED):
                yield method, re.sub(r"\{[^}]+\}", "1", path)


def test_a_student_without_a_key_changes_nothing_anyone_else_sees(client, settings):
    settings.PLAYGROUND_OWNER_KEY = OWNER
    room_a, _ = Room.open("A")
    room_b, _ = Room.open("B")
    before = {world: demo_state(world) for world in ("", room_b.code)}
    logs = {world: Message.objects.filter(room=world).count() for world in ("", room_b.code)}
    succeeded = []
    for method, path in operations(client):
        for headers in ({"HTTP_X_ROOM": room_a.code}, {}, {"HTTP_X_ROOM": room_b.code}):
            response = getattr(client, method)(
                path,
                {"type": "payment.completed", "mode": "offline"},
                "application/json",
                **headers,
            )
            if response.status_code < 400 or response.status_code >= 500:
                succeeded.append((method, path, headers, response.status_code))
    assert not succeeded
    assert {world: demo_state(world) for world in ("", room_b.code)} == before
    assert {w: Message.objects.filter(room=w).count() for w in ("", room_b.code)} == logs


# What room A's instructor changes in room A: Shop's API down, Shop's receiver offline, an
# endpoint added, the pollers started.
INSTRUCTOR_ACTIONS = [
    ("put", "/api/api/shop-mode", {"mode": "down"}),
    ("put", "/api/webhooks/receiver", {"mode": "offline"}),
    ("post", "/api/webhooks/endpoints", {"url": "https://93.184.216.34/hook"}),
    ("post", "/api/api/poller", {"action": "start", "every": 3600}),
    ("post", "/api/webhooks/compare/start", {}),
]


def test_what_a_rooms_instructor_changes_stays_in_the_room(client, settings):
    settings.PLAYGROUND_OWNER_KEY = OWNER
    room_a, key_a = Room.open("A")
    room_b, _ = Room.open("B")
    before = {world: demo_state(world) for world in ("", room_b.code, room_a.code)}
    for method, path, body in INSTRUCTOR_ACTIONS:
        response = getattr(client, method)(
            path, body, "application/json", HTTP_X_ROOM=room_a.code, HTTP_X_ROOM_KEY=key_a
        )
        assert response.status_code < 400, (path, response.content)
    changed = demo_state(room_a.code)
    assert changed != before[room_a.code]  # the actions did change room A ...
    for world in ("", room_b.code):  # ... and nothing else
        assert demo_state(world) == before[world]
    client.post(f"/api/rooms/{room_a.code}/reset", {}, "application/json", HTTP_X_ROOM_KEY=key_a)
    assert demo_state(room_a.code) == before[room_a.code]  # and its Reset puts it all back
