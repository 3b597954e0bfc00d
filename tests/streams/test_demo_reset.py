"""Reset puts the streaming demo back to its defaults, and the ledger says so."""

import pytest

from patterns.ledger.models import Message
from patterns.streams import demo

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("producer", "streams_state"),
]


def post(client, path, body):
    return client.post(f"/api/streams/{path}", body, content_type="application/json")


def test_reset_stops_the_ticker_at_its_default_rate_stops_the_match_and_fills_chat_buckets(client):
    assert post(client, "ticker", {"action": "start", "rate": 50}).json()["running"] is True
    assert post(client, "match", {"action": "start"}).json()["running"] is True
    assert post(client, "chat/messages", {"nick": "ada", "text": "hello"}).status_code == 201

    done = demo.reset()

    ticker = client.get("/api/streams/ticker").json()
    assert (ticker["running"], ticker["rate"]) == (False, 5)
    assert client.get("/api/streams/match").json()["running"] is False
    message = Message.objects.get(style="streams", kind="demo.reset")
    assert message.valid is True and message.status == "ok" and message.id == done["message_id"]
    assert message.payload["was"]["ticker"] == "running at 50/s" and message.payload["was"][
        "match"
    ].startswith("running")
    assert message.payload["now"] == {
        "ticker": "stopped",
        "match": "stopped",
        "clients_with_a_used_chat_bucket": 0,
    }
    # Stopping went through the page's controls: viewers are told, the ledger holds both stops.
    stops = Message.objects.filter(style="streams", kind="control", source="reset")
    assert sorted(m.payload["stream"] for m in stops) == ["match", "ticker"]


def test_a_stopped_ticker_left_at_another_rate_gets_its_default_rate_back(client):
    post(client, "ticker", {"action": "start", "rate": 20})
    post(client, "ticker", {"action": "stop"})
    assert demo.reset()["was"] == {"ticker": "stopped, rate 20/s"}
    assert client.get("/api/streams/ticker").json()["rate"] == 5
