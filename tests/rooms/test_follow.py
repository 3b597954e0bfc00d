"""Follow the instructor: only the room's key says where the class is, only a page on this site
is accepted, the room remembers it for late joiners, and the room's pages hear it over their feed."""

import httpx
import pytest

from patterns.rooms.models import Room
from tests.helpers import FeedClient


def follow(client, code, body, **headers):
    return client.post(
        f"/api/rooms/{code}/follow", body, content_type="application/json", **headers
    )


@pytest.mark.django_db
def test_only_the_instructor_says_where_the_class_is_and_a_refusal_changes_nothing(client, room):
    code, _ = room
    for headers in ({}, {"HTTP_X_ROOM_KEY": "guess"}):
        refused = follow(client, code, {"path": "/webhooks/", "label": "Webhooks"}, **headers)
        assert refused.status_code == 403
        assert refused.json()["error"] == "room_key_required"
        assert refused.json()["field"] == "X-Room-Key"
    assert Room.objects.get(code=code).page_path == ""
    unknown = follow(client, "ZZZZZ", {"path": "/webhooks/"}, HTTP_X_ROOM_KEY="x")
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_room"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "//evil.example",
        "//evil.example/webhooks/",
        "https://x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:x",
        "webhooks/",
        "",
        "/" + "a" * 200,
        "/web\nhooks/",
        "/web\thooks/",
        "/ /evil",
    ],
)
def test_a_path_that_is_not_a_page_on_this_site_is_refused_and_changes_nothing(client, room, path):
    code, key = room
    answer = follow(client, code, {"path": path, "label": "x"}, HTTP_X_ROOM_KEY=key)
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"] == "bad_path" and answer.json()["field"] == "path"
    assert answer.json()["detail"]
    assert Room.objects.get(code=code).page_path == ""


@pytest.mark.django_db
def test_a_long_label_and_a_path_of_the_wrong_type_are_refused(client, room):
    code, key = room
    too_long = follow(client, code, {"path": "/queue/", "label": "x" * 81}, HTTP_X_ROOM_KEY=key)
    assert too_long.status_code == 422 and too_long.json()["field"] == "label"
    typed = follow(client, code, {"path": ["/queue/"]}, HTTP_X_ROOM_KEY=key)
    assert typed.status_code == 422
    assert Room.objects.get(code=code).page_path == ""


@pytest.mark.django_db
def test_the_room_remembers_the_page_and_a_late_student_is_offered_it(client, room):
    code, key = room
    assert "has not opened a page yet" in client.get(f"/r/{code}").content.decode()
    done = follow(
        client,
        code,
        {"path": "/webhooks/?tour=webhooks&step=2", "label": "Webhooks — tour, step 2"},
        HTTP_X_ROOM_KEY=key,
    )
    assert done.status_code == 200
    assert done.json()["page_path"] == "/webhooks/?tour=webhooks&step=2"
    assert client.get(f"/api/rooms/{code}").json()["page_label"] == "Webhooks — tour, step 2"
    page = client.get(f"/r/{code}").content.decode()
    assert (
        "Your instructor is on: <strong data-room-now-label>Webhooks — tour, step 2</strong>"
        in page
    )
    assert f'href="/webhooks/?tour=webhooks&amp;step=2&amp;room={code}"' in page


@pytest.mark.django_db
def test_a_label_is_escaped_on_the_join_page(client, room):
    code, key = room
    follow(
        client,
        code,
        {"path": "/queue/", "label": "<img src=x onerror=alert(1)>"},
        HTTP_X_ROOM_KEY=key,
    )
    page = client.get(f"/r/{code}").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


@pytest.mark.django_db(transaction=True)
def test_the_instructors_page_reaches_every_page_of_the_room_and_no_other(asgi_server, room):
    code, key = room
    other, other_key = Room.open()
    other = other.code
    with (
        FeedClient(asgi_server, query=f"room={code}") as student,
        FeedClient(asgi_server, query=f"room={other}") as elsewhere,
        FeedClient(asgi_server) as shared,
    ):
        for page in (student, elsewhere, shared):
            page.wait_ready()
        refused = httpx.post(
            f"{asgi_server.url}/api/rooms/{code}/follow",
            json={"path": "//evil.example"},
            headers={"X-Room-Key": key},
            timeout=10,
        )
        assert refused.status_code == 422
        answer = httpx.post(
            f"{asgi_server.url}/api/rooms/{code}/follow",
            json={"path": "/queue/", "label": "Queue"},
            headers={"X-Room-Key": key},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        frame = next(f for f in iter(lambda: student.receive(10), None) if f["type"] == "room")
        # The refused path was never announced: the first room frame is the accepted one.
        assert frame["code"] == code
        assert frame["follow"] == {"path": "/queue/", "label": "Queue"}
        # The other room's next event is its own: the follow, announced before it, went to
        # this room only (one sender thread announces both, in order).
        httpx.put(
            f"{asgi_server.url}/api/rooms/{other}/settings",
            json={"paused": True},
            headers={"X-Room-Key": other_key},
            timeout=10,
        )
        theirs = next(f for f in iter(lambda: elsewhere.receive(10), None) if f["type"] == "room")
        assert theirs["code"] == other and "follow" not in theirs
        shared.settle()
        assert not [f for f in shared.frames if f["type"] == "room"]
