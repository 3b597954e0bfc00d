"""The room travels with every hop — web request, Celery task, HTTP to a receiver, a retry picked
up later by the sweeper — and two rooms never see each other's messages."""

import httpx
import pytest

from patterns.ledger import recorder
from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room
from patterns.rooms.models import Room
from patterns.webhooks import endpoints
from patterns.webhooks.models import Endpoint
from tests.helpers import FeedClient, eventually
from tests.webhooks.helpers import skip_the_wait, wait_for_attempts, wait_until_state

pytestmark = pytest.mark.django_db(transaction=True)


def fire(server, path, code, key, body=None):
    response = httpx.post(
        f"{server.url}{path}",
        params={"room": code},
        json=body or {},
        headers={"X-Room-Key": key},
        timeout=20,
    )
    assert response.status_code in (200, 201, 202), response.text
    return response.json()


def record(**extra):
    return recorder.record(style="ping", kind="test", hop="sent", source="a", target="b", **extra)


def test_record_takes_the_room_from_the_context_and_inherits_it_by_exchange(room):
    code, _ = room
    with in_room(code):
        first = record(correlation_id="exchange-1")
    later = record(correlation_id="exchange-1")  # no context: e.g. a sweeper or a receiver
    alone = record()
    assert (first.room, later.room, alone.room) == (code, code, "")
    with in_room(""):
        assert record(correlation_id="exchange-1").room == ""  # said explicitly: the shared demo


def test_a_ping_in_a_room_keeps_its_room_through_the_queue_and_the_worker(
    asgi_server, celery_worker, room
):
    code, key = room
    sent = fire(asgi_server, "/api/ping", code, key)
    eventually(
        lambda: Message.objects.filter(correlation_id=sent["correlation_id"], hop="reply").exists(),
        message="the worker's reply",
    )
    hops = list(Message.objects.filter(correlation_id=sent["correlation_id"]))
    assert {m.hop for m in hops} >= {"request", "enqueued", "picked-up", "reply"}
    assert {m.room for m in hops} == {code}


def test_queue_jobs_fired_in_a_room_are_done_in_that_room(asgi_server, celery_worker, room):
    code, key = room
    jobs = fire(asgi_server, "/api/queue/jobs", code, key, {"kind": "email", "count": 3})
    eventually(
        lambda: (
            Message.objects.filter(
                style="queue", hop="done", correlation_id__in=jobs["ids"]
            ).count()
            == 3
        ),
        timeout=30,
        message="three jobs done",
    )
    assert set(
        Message.objects.filter(correlation_id__in=jobs["ids"]).values_list("room", flat=True)
    ) == {code}


def test_a_webhook_retried_by_the_sweeper_and_its_receiver_stay_in_the_room(
    asgi_server, celery_worker, celery_beat, outside, room
):
    code, key = room
    with in_room(code):  # the room's own endpoints: an event fired there goes only to them
        Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
        endpoints.create(outside.url, "outside the playground")
    outside.script = [500, 200]
    fired = fire(asgi_server, "/api/webhooks/events", code, key, {"type": "payment.completed"})
    event_id = fired["event_id"]
    delivery_id = fired["deliveries"][0]["id"]
    wait_for_attempts(delivery_id, 1)
    skip_the_wait(delivery_id)  # the retry is picked up from the database by the beat's sweeper
    wait_until_state(delivery_id, "delivered")
    hops = list(Message.objects.filter(correlation_id=event_id))
    assert [m.hop for m in hops].count("attempt") == 2
    assert {m.room for m in hops} == {code}


def test_two_rooms_and_the_shared_demo_each_receive_only_their_own_messages(asgi_server, room):
    a, _ = room
    b = Room.open()[0].code
    with (
        FeedClient(asgi_server, query=f"room={a}") as feed_a,
        FeedClient(asgi_server, query=f"room={b}") as feed_b,
        FeedClient(asgi_server) as shared,
    ):
        for feed in (feed_a, feed_b, shared):
            feed.wait_ready()
        expected = {a: [], b: [], "": []}
        for n in range(12):
            code = (a, b, "")[n % 3]
            expected[code].append(record(room=code).id)
        got = {
            code: [m["id"] for m in feed.collect(4)]
            for code, feed in ((a, feed_a), (b, feed_b), ("", shared))
        }
        assert all(feed.settle() == [] for feed in (feed_a, feed_b, shared))
    assert got == expected


def test_a_rooms_speed_pause_and_reset_reach_every_page_in_the_room_only(asgi_server, room):
    code, key = room
    other = Room.open()[0].code
    with (
        FeedClient(asgi_server, query=f"room={code}") as student,
        FeedClient(asgi_server, query=f"room={other}") as elsewhere,
    ):
        student.wait_ready()
        elsewhere.wait_ready()
        response = httpx.put(
            f"{asgi_server.url}/api/rooms/{code}/settings",
            json={"speed": 0.25, "paused": True},
            headers={"X-Room-Key": key},
            timeout=10,
        )
        assert response.status_code == 200
        frame = next(f for f in iter(lambda: student.receive(10), None) if f["type"] == "room")
        assert frame["speed"] == 0.25 and frame["paused"] is True and frame["code"] == code
        httpx.post(
            f"{asgi_server.url}/api/rooms/{code}/reset", headers={"X-Room-Key": key}, timeout=10
        )
        frame = next(f for f in iter(lambda: student.receive(10), None) if f["type"] == "room")
        assert "reset" in frame
        assert elsewhere.settle() == []


def test_a_page_in_a_room_resumes_what_it_missed_in_its_room(asgi_server, room):
    code, _ = room
    ids = [record(room=code).id for _ in range(5)]
    record()  # another room's traffic in between
    more = [record(room=code).id for _ in range(2)]
    with FeedClient(asgi_server, query=f"room={code}", after=ids[1]) as feed:
        got = [m["id"] for m in feed.collect(5)]
        assert feed.settle() == []
    assert got == ids[2:] + more
