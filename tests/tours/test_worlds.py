"""The comparison runs in a world: a run started in a room is recorded in it, and is read back, as
the latest or by id, only in that room; before the first run a world's latest is an empty state."""

import httpx
import pytest

from patterns.ledger.models import Message
from patterns.rooms.models import Room
from patterns.tours.models import Run
from tests.helpers import eventually


def in_room(code, key=None):
    headers = {"HTTP_X_ROOM": code} if code else {}
    return {**headers, **({"HTTP_X_ROOM_KEY": key} if key else {})}


@pytest.mark.django_db
def test_before_the_first_run_the_latest_is_an_empty_state_not_a_404(client):
    answer = client.get("/api/compare/runs/latest")
    assert answer.status_code == 200
    assert answer.json()["id"] is None and answer.json()["running"] is False
    assert "no comparison has run here yet" in answer.json()["detail"]


@pytest.mark.django_db
def test_a_rooms_runs_are_read_back_only_in_that_room(client):
    a, b = Room.open()[0].code, Room.open()[0].code
    mine = Run.objects.create(world=a, finished_at="2026-01-01T00:00Z")
    shared = Run.objects.create(world="", finished_at="2026-01-01T00:00Z")
    assert client.get("/api/compare/runs/latest", **in_room(a)).json()["id"] == mine.id
    assert client.get(f"/api/compare/runs/latest?room={a}").json()["id"] == mine.id
    assert client.get("/api/compare/runs/latest").json()["id"] == shared.id
    assert client.get("/api/compare/runs/latest", **in_room(b)).json()["id"] is None
    for where, run in ((b, mine), ("", mine), (a, shared), (b, shared)):
        answer = client.get(f"/api/compare/runs/{run.id}", **in_room(where))
        assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert client.get(f"/api/compare/runs/{mine.id}", **in_room(a)).status_code == 200


@pytest.mark.django_db
def test_a_student_may_not_start_a_run_in_the_room_and_nothing_starts(client):
    code = Room.open()[0].code
    answer = client.post("/api/compare/runs", {}, content_type="application/json", **in_room(code))
    assert answer.status_code == 403 and answer.json()["error"] == "room_key_required"
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_a_run_under_way_in_one_room_keeps_another_from_starting_and_says_why(client):
    a, (room_b, key_b) = Room.open()[0].code, Room.open()
    Run.objects.create(world=a)
    answer = client.post(
        "/api/compare/runs", {}, content_type="application/json", **in_room(room_b.code, key_b)
    )
    assert answer.status_code == 409 and "another room" in answer.json()["detail"]
    assert list(Run.objects.values_list("world", flat=True)) == [a]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, databases=["default", "shop"])
def test_a_run_started_in_a_room_is_recorded_and_seen_only_in_that_room(
    asgi_server, celery_worker, celery_beat, order_42
):
    room, key = Room.open()
    other = Room.open()[0].code
    base = asgi_server.url

    def get(path, code):
        return httpx.get(f"{base}{path}", headers={"X-Room": code} if code else {}, timeout=10)

    started = httpx.post(
        f"{base}/api/compare/runs",
        json={"order_id": 42},
        headers={"X-Room": room.code, "X-Room-Key": key},
        timeout=20,
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert Run.objects.get(id=run_id).world == room.code
    done = eventually(
        lambda: (
            (r := get(f"/api/compare/runs/{run_id}", room.code).json())["running"] is False and r
        ),
        timeout=90,
        interval=0.5,
        message=f"run {run_id} to finish",
    )
    assert done["problem"] == ""
    # Shop shipped it in the room (the Celery task carried the room), and every lane's producer
    # sent its message in the room (the lanes start on pool threads: each is put in the world).
    rows = Message.objects.filter(id__gt=done["cursor"], correlation_id=f"cmp{run_id:04d}-ship")
    assert rows.count() == 2 and set(rows.values_list("room", flat=True)) == {room.code}
    sent = [
        Message.objects.filter(correlation_id=correlation_id).first()
        for lane in done["lanes"]
        if lane["key"] != "files"  # the file drop's night is one for the server (shared demo)
        for correlation_id in lane.get("correlation_ids", [])
    ]
    assert len(sent) >= 4 and {m.room for m in sent} == {room.code}, [
        (m.style, m.hop, m.room) for m in sent
    ]
    assert get("/api/compare/runs/latest", room.code).json()["id"] == run_id
    for elsewhere in (other, ""):
        assert get("/api/compare/runs/latest", elsewhere).json()["id"] is None
        assert get(f"/api/compare/runs/{run_id}", elsewhere).status_code == 404
