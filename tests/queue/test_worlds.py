"""A room's queue board shows its own world: its jobs (sent, in flight, done), their side effects
and its dead letters. The broker's depth and the worker pool are one for the server, and the page
says so."""

import pytest

from patterns.queue.models import DeadLetter
from patterns.queue.stats import compute
from patterns.rooms.models import Room
from tests.helpers import eventually

from .conftest import wait_for_hops

pytestmark = pytest.mark.django_db(transaction=True)


def in_world(code, key=""):
    return {"HTTP_X_ROOM": code, "HTTP_X_ROOM_KEY": key} if code else {}


def stats(client, code=""):
    return client.get("/api/queue/stats", **in_world(code)).json()


def test_each_worlds_board_counts_only_its_own_jobs_and_effects(celery_worker, client):
    room, key = Room.open("queue")
    sent = {room.code: ("thumbnail", 3), "": ("analytics", 2)}
    for code, (kind, count) in sent.items():
        response = client.post(
            "/api/queue/jobs",
            {"kind": kind, "count": count, "duration_ms": 0},
            content_type="application/json",
            **in_world(code, key),
        )
        assert response.status_code == 201, response.json()
    wait_for_hops("done", 5)
    for code, (kind, count) in sent.items():
        eventually(lambda code=code: stats(client, code)["done"] == sent[code][1], message=code)
        board = stats(client, code)
        assert (board["jobs"], board["sent"], board["effects"]) == (count, count, {kind: count})
    other, _ = Room.open("another")
    board = stats(client, other.code)
    assert (board["jobs"], board["done"], board["effects"]) == (0, 0, {})

    # A job being worked on counts as in flight in its own world only.
    client.post(
        "/api/queue/jobs",
        {"kind": "thumbnail", "count": 1, "duration_ms": 3000},
        content_type="application/json",
        **in_world(room.code, key),
    )
    eventually(lambda: stats(client, room.code)["in_flight"] == 1, message="the job in a lane")
    assert compute("")["in_flight"] == 0 and compute(other.code)["in_flight"] == 0  # not cached
    wait_for_hops("done", 6)


def test_a_dead_letter_is_listed_and_requeued_only_in_its_own_world(client):
    room, key = Room.open("queue")
    letter = DeadLetter.objects.create(
        job_id="job-of-the-room",
        kind="email",
        job={"job_id": "job-of-the-room", "kind": "email", "round": 1, "duration_ms": 0},
        error="refused",
        attempts=4,
        room=room.code,
    )
    assert client.get("/api/queue/dead").json()["count"] == 0
    assert stats(client)["dead"] == 0 and stats(client, room.code)["dead"] == 1
    listed = client.get("/api/queue/dead", **in_world(room.code)).json()
    assert [d["job_id"] for d in listed["dead"]] == ["job-of-the-room"]

    response = client.post(f"/api/queue/dead/{letter.id}/requeue")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    letter.refresh_from_db()
    assert letter.status == DeadLetter.Status.DEAD
