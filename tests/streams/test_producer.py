"""The ticker and the match, emitted by the producer process; their API; `manage.py fire streams`."""

import pytest
from django.core.management import call_command

from patterns.ledger.models import Message
from patterns.streams.models import StreamEvent
from tests.helpers import eventually

from .client import Viewer, producer_ticked

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_ticker_runs_at_the_set_rate_and_every_price_is_recorded(
    asgi_server, producer, streams_state, client
):
    with Viewer(asgi_server, {"ticker": {"after": 0, "replay": "all"}}) as viewer:
        started = client.post(
            "/api/streams/ticker", {"action": "start", "rate": 100}, content_type="application/json"
        )
        assert started.status_code == 200 and started.json()["running"] is True
        viewer.collect("ticker", 150, timeout=30)
        assert (
            client.post(
                "/api/streams/ticker", {"action": "stop"}, content_type="application/json"
            ).json()["running"]
            is False
        )
    producer_ticked(streams_state)  # every tick that read "running" before the stop has finished
    sent = int(streams_state.hget("streams:ticker", "sent") or 0)
    assert sent
    assert viewer.seqs["ticker"] == list(range(1, len(viewer.seqs["ticker"]) + 1))
    assert Message.objects.filter(style="streams", kind="ticker.price").count() == sent
    assert StreamEvent.objects.filter(stream="ticker").count() == sent
    assert not Message.objects.filter(style="streams", valid=False).exists()
    controls = Message.objects.filter(kind="control").values_list("payload", flat=True)
    assert list(controls) == [
        {"stream": "ticker", "action": "start", "rate": 100},
        {"stream": "ticker", "action": "stop"},
    ]


def test_a_ticker_viewer_that_comes_back_skips_to_the_latest_prices_and_is_told(
    asgi_server, producer, streams_state, client
):
    client.post(
        "/api/streams/ticker", {"action": "start", "rate": 100}, content_type="application/json"
    )
    try:
        eventually(
            lambda: StreamEvent.objects.filter(stream="ticker").count() >= 30, message="30 prices"
        )
        with Viewer(
            asgi_server, {"ticker": {"after": 0}}
        ) as viewer:  # it saw nothing: 30+ prices ago
            viewer.collect("ticker", 60)
            skipped = next(f for f in viewer.frames if f["type"] == "skipped")
        assert skipped["after"] == 0 and skipped["count"] == skipped["resume_at"] - 1 >= 26
        assert viewer.seqs["ticker"][0] == skipped["resume_at"]
        assert viewer.seqs["ticker"] == list(
            range(skipped["resume_at"], viewer.seqs["ticker"][-1] + 1)
        )
    finally:
        client.post("/api/streams/ticker", {"action": "stop"}, content_type="application/json")


@pytest.mark.slow
def test_the_match_plays_its_script_and_viewers_comment_beside_it(
    asgi_server, producer, streams_state, client
):
    with Viewer(asgi_server, {"match": {"after": 0}}) as viewer:
        assert (
            client.post(
                "/api/streams/match", {"action": "start"}, content_type="application/json"
            ).status_code
            == 200
        )
        viewer.until(
            lambda: any(
                e["data"].get("event") == "kickoff"
                for f in viewer.frames
                if f["type"] == "events"
                for e in f["events"]
            ),
            what="kick-off",
        )
        viewer.send({"type": "comment", "nick": "sam", "text": "here we go"})
        viewer.next_of("sent")
        viewer.until(lambda: len(viewer.seqs["match"]) >= 4, what="more of the match")
        client.post("/api/streams/match", {"action": "stop"}, content_type="application/json")
    kinds = [e.payload["type"] for e in StreamEvent.objects.filter(stream="match")]
    assert kinds[0] == "event" and "comment" in kinds
    seqs = list(StreamEvent.objects.filter(stream="match").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/streams/ticker", {"action": "start", "rate": 0}, "rate"),
        ("/api/streams/ticker", {"action": "start", "rate": 201}, "rate"),
        ("/api/streams/ticker", {"action": "explode"}, "action"),
        ("/api/streams/match", {"action": "rewind"}, "action"),
        ("/api/streams/chat/messages", {"nick": "ada", "text": ""}, "text"),
        ("/api/streams/chat/messages", {"nick": "a" * 25, "text": "hi"}, "nick"),
        ("/api/streams/match/comments", {"nick": "ada"}, "text"),
        ("/api/streams/chat/messages", {"nick": "ada", "text": "nul \u0000 byte"}, "text"),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(client, streams_state, path, body, field):
    response = client.post(path, body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert (
        set(response.json()) == {"error", "detail", "field"} and response.json()["field"] == field
    )
    assert not Message.objects.exists() and not StreamEvent.objects.exists()
    assert not streams_state.exists("streams:ticker")


def test_replay_returns_messages_after_a_seq_and_refuses_bad_cursors(client):
    for n in range(5):
        call_command("fire", "streams", "chat", data=f'{{"nick": "t", "text": "hi {n}"}}')
    page = client.get("/api/streams/chat/messages?after_seq=2&limit=2").json()
    assert (
        [e["seq"] for e in page["events"]] == [3, 4]
        and page["more"] is True
        and page["latest_seq"] == 5
    )
    assert client.get("/api/streams/chat/messages?after_seq=-1").status_code == 400
    assert client.get("/api/streams/chat/messages?limit=0").json()["field"] == "limit"
    assert client.get("/api/streams/weather/messages").status_code in (400, 404, 422)


def test_fire_sends_a_chat_line_like_the_page_does(asgi_server):
    with Viewer(asgi_server, {"chat": {"after": 0}}) as viewer:
        call_command("fire", "streams", "chat", data='{"nick":"t","text":"hi"}')
        viewer.collect("chat", 1)
    assert viewer.frames[-1]["events"][0]["data"] == {"type": "line", "nick": "t", "text": "hi"}
    row = Message.objects.get(kind="chat.message")
    assert (
        row.payload == {"seq": 1, "type": "line", "nick": "t", "text": "hi"} and row.valid is True
    )
