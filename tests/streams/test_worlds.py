"""Each world has its own streams: a room's ticker, match and chat reach only that room's viewers,
stopping one room's ticker leaves another's running, and a Reset puts back only its world."""

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room
from patterns.rooms.models import Room
from patterns.streams import demo, match, ratelimit, ticker
from patterns.streams.models import StreamEvent
from patterns.streams.publisher import latest_seqs

from .client import Viewer, producer_ticked

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("producer", "streams_state"),
]
JSON = "application/json"


@pytest.fixture
def rooms():
    """Two open rooms: [(code, control key), …]."""
    return [(room.code, key) for room, key in (Room.open("a"), Room.open("b"))]


def control(client, stream, body, code="", key=None):
    headers = {"HTTP_X_ROOM": code, "HTTP_X_ROOM_KEY": key} if code else {}
    return client.post(f"/api/streams/{stream}", body, content_type=JSON, **headers)


def chat(client, text, code="", key=None, **extra):
    body = {"nick": "ada", "text": text, **extra}
    return control(client, "chat/messages", body, code, key)


def ticks(viewer):
    return [f for f in viewer.frames if f["type"] == "events" and f["stream"] == "ticker"]


def test_a_rooms_ticker_reaches_only_that_rooms_viewers(asgi_server, client, rooms):
    (a, key_a), (b, key_b) = rooms
    watch = {"ticker": {"after": None}, "chat": {"after": None}}
    with (
        Viewer(asgi_server, watch, room=a) as in_a,
        Viewer(asgi_server, watch, room=b) as in_b,
        Viewer(asgi_server, watch) as shared,
    ):
        assert control(client, "ticker", {"action": "start", "rate": 50}, a, key_a).json()[
            "running"
        ]
        in_a.collect("ticker", 20)
        # A chat line goes out after those prices through the same fan-out: by the time the
        # others see it, any of room A's prices sent their way would have arrived before it.
        for viewer, code, key in ((in_b, b, key_b), (shared, "", None)):
            assert chat(client, f"hello {code}", code, key).status_code == 201
            viewer.collect("chat", 1)
            assert ticks(viewer) == []
    assert latest_seqs(b)["ticker"] == latest_seqs("")["ticker"] == 0
    prices = Message.objects.filter(style="streams", kind="ticker.price")
    assert set(prices.values_list("room", flat=True)) == {a}
    with in_room(b):
        assert ticker.state()["running"] is False
    assert ticker.state()["running"] is False


def test_stopping_one_rooms_ticker_leaves_the_others_running(asgi_server, client, rooms):
    (a, key_a), (b, key_b) = rooms
    for code, key in rooms:
        control(client, "ticker", {"action": "start", "rate": 50}, code, key)
    with Viewer(asgi_server, {"ticker": {"after": 0, "replay": "all"}}, room=b) as in_b:
        in_b.collect("ticker", 5)
        stopped = control(client, "ticker", {"action": "stop"}, a, key_a).json()
        assert stopped["running"] is False
        producer_ticked(ticker.client())
        a_stopped_at = latest_seqs(a)["ticker"]
        in_b.collect("ticker", latest_seqs(b)["ticker"] + 10)  # B's ticker kept going
    assert latest_seqs(a)["ticker"] == a_stopped_at > 0
    assert in_b.seqs["ticker"] == list(range(1, len(in_b.seqs["ticker"]) + 1))  # B's own seq
    with in_room(b):
        assert ticker.state()["running"] is True
    assert ticker.client().smembers("streams:worlds") == {b}


def test_a_viewer_resumes_its_own_rooms_stream_by_seq(asgi_server, client, rooms):
    (a, key_a), (b, key_b) = rooms
    for n in range(3):
        chat(client, f"a{n}", a, key_a)
        chat(client, f"b{n}", b, key_b)
    chat(client, "shared")
    with Viewer(asgi_server, {"chat": {"after": 1}}, room=a) as back:
        back.collect("chat", 3)
    texts = [e["data"]["text"] for f in back.frames if f["type"] == "events" for e in f["events"]]
    assert back.seqs["chat"] == [2, 3] and texts == ["a1", "a2"]
    assert StreamEvent.objects.filter(room=b, stream="chat").count() == 3


def test_the_same_resend_id_in_two_rooms_is_two_lines_each_kept_once(client, rooms):
    (a, key_a), (b, key_b) = rooms
    first = chat(client, "from a", a, key_a, id="line-0001").json()
    again = chat(client, "from a", a, key_a, id="line-0001").json()
    other = chat(client, "from b", b, key_b, id="line-0001").json()
    assert again == first and first["data"]["text"] == "from a"
    assert other["data"]["text"] == "from b" and other["uid"] != first["uid"]
    assert Message.objects.filter(uid=other["uid"], room=b).exists()


def test_a_rooms_chat_bucket_does_not_drain_anothers(client, rooms, monkeypatch):
    # A refill too slow to matter, so the sixth line is refused however slowly a loaded machine
    # sends the six.
    monkeypatch.setattr(ratelimit, "REFILL_PER_S", 0.01)
    (a, key_a), (b, key_b) = rooms
    sent = [chat(client, f"{n}", a, key_a).status_code for n in range(6)]
    assert sent == [201] * 5 + [429]
    assert chat(client, "still room to talk", b, key_b).status_code == 201
    assert chat(client, "and here", "").status_code == 201


def test_a_viewer_naming_no_room_code_is_told_and_closed(asgi_server):
    url = f"{asgi_server.ws_url}/ws/streams/?room=no!"
    with connect(url, origin=asgi_server.origin, open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=10))["error"] == "unknown_room"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
        assert ws.close_code == 4404


def _post_over_the_socket(asgi_server, code, **frame):
    """Post a chat line over a room's socket; the first answer to it ("sent" or an error)."""
    url = f"{asgi_server.ws_url}/ws/streams/?room={code}"
    with connect(url, origin=asgi_server.origin, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "chat", "nick": "ada", "text": "hello", **frame}))
        while True:
            answer = json.loads(ws.recv(timeout=10))
            if answer["type"] in ("sent", "error"):
                return answer


def test_chat_over_a_rooms_socket_needs_its_key_unless_students_may_fire(asgi_server, rooms):
    (a, key_a), _ = rooms
    refused = _post_over_the_socket(asgi_server, a)
    assert refused["type"] == "error" and refused["error"] == "key_required"
    assert _post_over_the_socket(asgi_server, a, key="a-guess")["type"] == "error"
    assert _post_over_the_socket(asgi_server, a, key=key_a)["type"] == "sent"
    Room.objects.filter(code=a).update(students_may_fire=True)
    assert _post_over_the_socket(asgi_server, a)["type"] == "sent"
    lines = StreamEvent.objects.filter(room=a, stream="chat").count()
    assert lines == 2  # the two that were let through, and nothing else


def test_a_reset_stops_only_its_own_worlds_ticker_and_match(client, rooms):
    (a, key_a), (b, key_b) = rooms
    for code, key in (*rooms, ("", None)):
        control(client, "ticker", {"action": "start", "rate": 20}, code, key)
        control(client, "match", {"action": "start"}, code, key)
        chat(client, "hi", code, key)

    done = demo.reset(a)

    assert done["was"]["ticker"] == "running at 20/s"
    assert done["now"] == {
        "ticker": "stopped",
        "match": "stopped",
        "clients_with_a_used_chat_bucket": 0,
    }
    for code in (b, ""):
        with in_room(code):
            assert ticker.state()["running"] is True
            assert match.describe(ticker.client())["running"] is True
            assert demo.PIECES[2].read() == 1
    stops = Message.objects.filter(style="streams", kind="control", source="reset")
    assert set(stops.values_list("room", flat=True)) == {a}
    assert ticker.client().smembers("streams:worlds") == {b, ""}  # A left the producer's rounds


def test_a_rooms_viewers_are_counted_in_their_room(asgi_server, rooms):
    (a, _), (b, _) = rooms
    with (
        Viewer(asgi_server, {"chat": {"after": None}}, room=a),
        Viewer(asgi_server, {"chat": {"after": None}}, room=a) as second,
        Viewer(asgi_server, {"chat": {"after": None}}, room=b) as alone,
    ):
        assert second.welcome["viewers"] == 2
        second.send({"type": "sync"})
        assert second.next_of("pong")["viewers"] == 2
        alone.send({"type": "sync"})
        assert alone.next_of("pong")["viewers"] == 1
