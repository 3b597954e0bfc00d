"""The rooms API: open a room, read it, and only the key holder changes it."""

import pytest
from django.test import Client

from patterns.ledger import recorder
from patterns.ledger.models import Message
from patterns.rooms.models import Room

pytestmark = pytest.mark.django_db(databases="__all__")  # a room's Reset reads Shop's schema


def open_room(client, **body):
    response = client.post("/api/rooms", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_opening_a_room_gives_a_code_a_join_link_without_the_key_and_a_key(client):
    room = open_room(client, title="Week 3")
    assert room["code"].isalnum() and len(room["code"]) == 5
    assert room["join_url"].endswith(f"/r/{room['code']}")
    assert room["control_key"] not in room["join_url"] and len(room["control_key"]) >= 40
    stored = Room.objects.get(code=room["code"])
    assert room["control_key"] not in stored.key_hash  # only a hash is kept
    public = client.get(f"/api/rooms/{room['code']}").json()
    assert "control_key" not in public and public["title"] == "Week 3" and public["speed"] == 1.0


def test_the_slash_and_no_slash_paths_both_open_a_room(client):
    assert client.post("/api/rooms/", {}, content_type="application/json").status_code == 201
    assert Room.objects.count() == 1


def test_settings_need_the_control_key_and_a_refusal_changes_nothing(client):
    room = open_room(client)
    url = f"/api/rooms/{room['code']}/settings"
    for headers in ({}, {"HTTP_X_ROOM_KEY": "guess"}):
        refused = client.put(url, {"paused": True}, content_type="application/json", **headers)
        assert refused.status_code == 403
        assert (
            refused.json()["error"] == "room_key_required"
            and refused.json()["field"] == "X-Room-Key"
        )
    assert Room.objects.get(code=room["code"]).paused is False
    done = client.put(
        url,
        {"paused": True, "speed": 0.25, "students_may_fire": True},
        content_type="application/json",
        HTTP_X_ROOM_KEY=room["control_key"],
    )
    assert done.status_code == 200
    assert {k: done.json()[k] for k in ("paused", "speed", "students_may_fire")} == {
        "paused": True,
        "speed": 0.25,
        "students_may_fire": True,
    }
    stored = Room.objects.get(code=room["code"])
    assert (stored.paused, stored.speed, stored.students_may_fire) == (True, 0.25, True)


@pytest.mark.parametrize("speed", [0, 0.05, 1.5, -1])
def test_a_speed_outside_one_tenth_to_one_is_refused(client, speed):
    room = open_room(client)
    refused = client.put(
        f"/api/rooms/{room['code']}/settings",
        {"speed": speed},
        content_type="application/json",
        HTTP_X_ROOM_KEY=room["control_key"],
    )
    assert refused.status_code == 422 and refused.json()["field"] == "speed"
    assert Room.objects.get(code=room["code"]).speed == 1.0


def test_an_unknown_room_is_a_404_in_the_error_shape(client):
    response = client.get("/api/rooms/NOPE9")
    assert response.status_code == 404 and response.json()["error"] == "unknown_room"


def test_step_needs_a_paused_room(client):
    room = open_room(client)
    refused = client.post(
        f"/api/rooms/{room['code']}/step",
        {},
        content_type="application/json",
        HTTP_X_ROOM_KEY=room["control_key"],
    )
    assert refused.status_code == 409 and refused.json()["error"] == "not_paused"


@pytest.mark.slow
def test_reset_puts_the_rooms_demo_back_and_empties_its_log_but_the_ledger_keeps_every_row(
    client,
):
    room = open_room(client)
    code = room["code"]
    for _ in range(3):
        recorder.record(style="ping", kind="test", hop="sent", source="a", target="b", room=code)
    recorder.record(
        style="ping", kind="test", hop="sent", source="a", target="b"
    )  # the shared demo
    assert len(client.get(f"/api/messages?room={code}").json()["messages"]) == 3
    assert (
        client.post(f"/api/rooms/{code}/reset", {}, content_type="application/json").status_code
        == 403
    )
    reset = client.post(
        f"/api/rooms/{code}/reset",
        {},
        content_type="application/json",
        HTTP_X_ROOM_KEY=room["control_key"],
    )
    assert reset.status_code == 200 and reset.json()["messages"] == 0
    styles = {"api", "files", "webhooks", "queue", "streams", "database"}
    assert set(reset.json()["demo"]) >= styles
    recorded = Message.objects.filter(kind="demo.reset", room=code)
    assert {m.style for m in recorded} >= styles  # each style's Reset is itself a message
    assert client.get(f"/api/messages?room={code}").json()["messages"] == []
    after = recorder.record(
        style="ping", kind="test", hop="sent", source="a", target="b", room=code
    )
    assert [m["id"] for m in client.get(f"/api/messages?room={code}").json()["messages"]] == [
        after.id
    ]
    assert len(client.get("/api/messages").json()["messages"]) == 1  # the shared demo is untouched

    assert Message.objects.filter(room=code).exclude(kind="demo.reset").count() == 4  # append-only


def test_a_browser_post_without_a_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/api/rooms", {}, content_type="application/json", HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403 and Room.objects.count() == 0


def test_the_openapi_document_lists_the_rooms_api_and_the_room_parameters_of_triggers(client):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/rooms/",
        "/api/rooms/{code}",
        "/api/rooms/{code}/reset",
        "/api/rooms/{code}/settings",
    } <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/queue/jobs"]["post"]["parameters"]}
    assert {"room", "X-Room-Key"} <= names


def test_manage_py_fire_can_fire_inside_a_room(room):
    from django.core.management import CommandError, call_command

    code, _ = room
    call_command("fire", "webhooks", "payment.completed", "--room", code.lower())
    assert set(Message.objects.values_list("room", flat=True)) == {code}
    with pytest.raises(CommandError, match="no room"):
        call_command("fire", "webhooks", "payment.completed", "--room", "NOPE9")
