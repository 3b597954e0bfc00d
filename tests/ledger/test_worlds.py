"""Reads follow the world: a room's ledger rows are answered only to a request (or a socket) that
names the room, the shared demo's only to one that names none — by id, in lists, in an exchange,
in exports, in counts, on the log pages and on the live feed."""

import json

import pytest

from patterns.ledger.models import Message
from patterns.ledger.recorder import record
from patterns.ledger.roomctx import in_room
from patterns.rooms.models import Room
from tests.helpers import FeedClient, record_pings

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds():
    """Rows of two rooms and of the shared demo, interleaved, some sharing one correlation id."""
    a, b = Room.open()[0].code, Room.open()[0].code
    rows = {a: [], b: [], "": []}
    for n in range(12):
        room = (a, b, "")[n % 3]
        with in_room(room):  # "" said: the shared demo, not the room of the exchange's first row
            rows[room] += record_pings(1, correlation_id=f"shared-cid-{n % 2}")
    return a, b, rows


def test_scanning_ids_without_naming_the_room_never_finds_a_rooms_row(client, worlds):
    a, b, rows = worlds
    found = {
        i
        for i in range(1, max(rows[""] + rows[a] + rows[b]) + 3)
        if client.get(f"/api/messages/{i}").status_code == 200
    }
    assert found == set(rows[""])
    for i in rows[a]:
        response = client.get(f"/api/messages/{i}")
        assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("how", ["query", "header", "lower case"])
def test_naming_the_room_finds_its_rows_and_only_its_own(client, worlds, how):
    a, b, rows = worlds
    named = {
        "query": {"QUERY_STRING": f"room={a}"},
        "header": {"HTTP_X_ROOM": a},
        "lower case": {"QUERY_STRING": f"room={a.lower()}"},
    }[how]
    found = {
        i
        for i in range(1, max(rows[""] + rows[a] + rows[b]) + 3)
        if client.get(f"/api/messages/{i}", **named).status_code == 200
    }
    assert found == set(rows[a])


def test_an_exchange_holds_only_the_hops_of_the_world_asked_in(client, worlds):
    a, _, rows = worlds
    body = client.get(f"/api/messages/{rows[a][0]}", {"room": a}).json()
    assert {m["room"] for m in body["exchange"]} == {a}
    assert [m["id"] for m in body["exchange"]] == [
        i for i in rows[a] if Message.objects.get(id=i).correlation_id == "shared-cid-0"
    ]
    shared = client.get(f"/api/messages/{rows[''][0]}").json()
    assert {m["room"] for m in shared["exchange"]} == {""}


def test_the_list_answers_the_world_named_and_a_room_filter_cannot_reach_another(client, worlds):
    a, b, rows = worlds
    ids = lambda response: [m["id"] for m in response.json()["messages"]]  # noqa: E731
    assert ids(client.get("/api/messages")) == rows[""]
    assert ids(client.get("/api/messages", {"room": a})) == rows[a]
    assert ids(client.get("/api/messages", HTTP_X_ROOM=b)) == rows[b]
    # The guard puts a request in the world of ?room=; another room in the header changes nothing.
    assert ids(client.get("/api/messages", {"room": a}, HTTP_X_ROOM=b)) == rows[a]
    assert ids(client.get("/api/messages", {"correlation_id": "shared-cid-0"})) == [
        i for i in rows[""] if Message.objects.get(id=i).correlation_id == "shared-cid-0"
    ]


def test_counts_are_the_worlds_own(client, worlds):
    a, _, rows = worlds
    assert client.get("/api/stats").json() == {
        "total": 4,
        "last_id": rows[""][-1],
        "by_style": {"ping": 4},
    }
    assert client.get("/api/stats", {"room": a}).json()["last_id"] == rows[a][-1]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_hold_only_the_world_named(client, worlds, fmt):
    a, _, rows = worlds

    def exported(**params):
        response = client.get(f"/messages/export.{fmt}", params)
        text = b"".join(response.streaming_content).decode()
        if fmt == "json":
            return [m["id"] for m in json.loads(text)["messages"]]
        return [int(line.split(",")[0]) for line in text.splitlines()[1:]]

    assert exported() == rows[""]
    assert exported(room=a) == rows[a]


def test_the_log_pages_show_only_the_world_named(client, worlds):
    a, b, rows = worlds
    shown = lambda response: list(response.context["messages"])  # noqa: E731
    assert sorted(m.id for m in shown(client.get("/messages/"))) == rows[""]
    assert sorted(m.id for m in shown(client.get("/messages/", {"room": a}))) == rows[a]
    assert client.get("/messages/", {"room": "ZZZZZ"}).context["messages"] == []
    assert client.get(f"/messages/{rows[a][0]}/").status_code == 404
    page = client.get(f"/messages/{rows[a][0]}/", {"room": a})
    assert page.status_code == 200 and {m.room for m in page.context["exchange"]} == {a}
    assert f'href="/messages/{rows[a][0]}/?room={a}"' in page.content.decode()


def test_a_webhook_attempts_check_is_not_answered_outside_its_world(client, worlds):
    a, _, _ = worlds
    attempt = record(
        style="webhooks",
        kind="payment.completed",
        hop="attempt",
        source="shop",
        target="receiver",
        room=a,
        headers={"webhook-signature": "v1,x"},
    )
    response = client.get(f"/api/webhooks/check/{attempt.id}")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_a_feed_of_no_room_never_receives_a_rooms_rows(asgi_server, transactional_db):
    a = Room.open()[0].code
    before = record_pings(3, room=a) + record_pings(2)
    with (
        FeedClient(asgi_server, backlog=50) as shared,
        FeedClient(asgi_server, f"room={a}") as room,
    ):
        shared.wait_ready()
        room.wait_ready()
        assert [m["id"] for m in shared.messages] == before[3:]  # the catch-up
        later = {"": [], a: []}
        for n in range(10):
            where = ("", a)[n % 2]
            later[where] += record_pings(1, room=where)
        shared.collect(2 + 5)
        room.collect(5)
        assert shared.settle() == [] and room.settle() == []
    assert [m["id"] for m in shared.messages] == before[3:] + later[""]
    assert [m["id"] for m in room.messages] == later[a]
    assert {m["room"] for m in shared.messages} == {""}


def test_a_feed_naming_its_room_in_lower_case_is_in_that_room(asgi_server, transactional_db):
    a = Room.open()[0].code
    with FeedClient(asgi_server, f"room={a.lower()}") as feed:
        feed.wait_ready()
        ids = record_pings(2, room=a) + record_pings(2)
        feed.collect(2)
        assert feed.settle() == []
    assert [m["id"] for m in feed.messages] == ids[:2]
