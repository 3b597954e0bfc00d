"""Safe: origin-checked connections, text kept as text, limits with clear messages, bad frames refused."""

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from patterns.ledger.models import Message
from patterns.streams.models import StreamEvent

from .client import Viewer

pytestmark = pytest.mark.django_db(transaction=True)
XSS = '<img src=x onerror="document.body.dataset.pwned=1">'


def test_a_connection_from_a_foreign_origin_is_refused(asgi_server):
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{asgi_server.ws_url}/ws/streams/", origin="https://evil.example", open_timeout=10)
    assert refused.value.response.status_code == 403


def test_an_xss_payload_is_stored_and_served_verbatim(asgi_server, client):
    with Viewer(asgi_server, {"chat": {"after": 0}}) as viewer:
        viewer.send({"type": "chat", "nick": "<b>mallory</b>", "text": XSS})
        viewer.collect("chat", 1)
    assert viewer.frames[-1]["events"][0]["data"]["text"] == XSS
    replay = client.get("/api/streams/chat/messages?after_seq=0").json()
    assert replay["events"][0]["data"] == {"type": "line", "nick": "<b>mallory</b>", "text": XSS}
    assert Message.objects.get(kind="chat.message").payload["text"] == XSS


def test_a_flood_from_one_connection_is_limited_and_the_connection_stays_healthy(asgi_server):
    with (
        Viewer(asgi_server, {"chat": {"after": 0}}) as flooder,
        Viewer(asgi_server, {"chat": {"after": 0}}) as other,
    ):
        for n in range(20):
            flooder.send({"type": "chat", "nick": "flood", "text": f"spam {n}"})
        flooder.until(lambda: sum(f["type"] in ("sent", "error") for f in flooder.frames) >= 20)
        sent = [f for f in flooder.frames if f["type"] == "sent"]
        limited = [f for f in flooder.frames if f.get("error") == "rate_limited"]
        assert 5 <= len(sent) <= 6 and len(sent) + len(limited) == 20
        assert "Slow down" in limited[0]["detail"] and limited[0]["retry_after"] > 0
        other.send(
            {"type": "chat", "nick": "calm", "text": "I can still talk"}
        )  # a bucket per connection
        assert other.next_of("sent")["seq"] == len(sent) + 1
        flooder.send({"type": "sync"})
        assert flooder.next_of("pong")
    assert StreamEvent.objects.filter(stream="chat").count() == len(sent) + 1


@pytest.mark.parametrize(
    "frame, error",
    [
        ("", "empty_frame"),
        ("x" * 5000, "frame_too_large"),
        ("[1, 2]", "bad_frame"),
        (json.dumps({"type": "teleport"}), "unknown_type"),
        (json.dumps({"type": "chat", "nick": "ada", "text": "x" * 281}), "bad_request"),
        (json.dumps({"type": "chat", "nick": "", "text": "hi"}), "bad_request"),
        (json.dumps({"type": "subscribe", "streams": {"weather": {}}}), "bad_request"),
        (json.dumps({"type": "subscribe", "streams": {"chat": {"after": -3}}}), "bad_request"),
    ],
)
def test_a_bad_frame_gets_an_error_frame_and_the_connection_stays_healthy(
    asgi_server, frame, error
):
    with Viewer(asgi_server, {"chat": {"after": 0}}) as viewer:
        viewer.send(frame)
        assert viewer.next_of("error")["error"] == error
        viewer.send({"type": "chat", "nick": "ada", "text": "still here"})
        assert viewer.next_of("sent")["seq"] == 1
    assert StreamEvent.objects.count() == 1


def test_chat_posts_are_rate_limited_per_client(asgi_server):
    import httpx

    with httpx.Client(base_url=asgi_server.url, timeout=10) as http:
        codes = [
            http.post(
                "/api/streams/chat/messages",
                json={"nick": "bot", "text": f"hi {n}"},
                headers={"X-Client-Id": "flooder"},
            ).status_code
            for n in range(8)
        ]
        other = http.post(
            "/api/streams/chat/messages",
            json={"nick": "ok", "text": "hi"},
            headers={"X-Client-Id": "calm"},
        )
    assert codes[:5] == [201] * 5 and codes[-1] == 429
    assert other.status_code == 201
