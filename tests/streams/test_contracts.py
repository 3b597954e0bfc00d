"""Every message kind the style records claims a registered contract and meets it; the frames a
viewer gets meet theirs. (tests/api/test_every_style.py checks the same across all styles.)"""

import pytest

from patterns.contracts import registry as contracts
from patterns.ledger.models import Message
from patterns.site import triggers

from .client import Viewer

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_streams_trigger_records_messages_that_claim_and_meet_a_contract(asgi_server):
    fired = [t for t in triggers.all_triggers() if t.style == "streams"]
    assert {t.kind for t in fired} == {"chat", "comment", "ticker", "match"}
    for trigger in fired:
        trigger.fire({})
    rows = list(Message.objects.filter(style="streams"))
    assert {r.kind for r in rows} == {
        "chat.message",
        "match.comment",
        "ticker.price",
        "match.event",
    }
    for row in rows:
        assert contracts.get(row.contract) is not None and row.valid is True, (row.kind, row.error)


def test_the_frames_a_viewer_gets_meet_the_stream_contracts(asgi_server):
    triggers.get("streams", "chat").fire({})
    with Viewer(asgi_server, {"chat": {"after": 0}, "ticker": {"after": None}}) as viewer:
        viewer.collect("chat", 1)  # replayed from the database
        for n in range(
            2, 7
        ):  # live (the first may still come as a catch-up while the fan-out subscribes)
            triggers.get("streams", "chat").fire({"nick": "ada", "text": f"live {n}"})
            viewer.collect("chat", n)
            if not viewer.frames[-1]["replay"]:
                break
    assert contracts.check(
        "streams.subscribe", {"type": "subscribe", "streams": viewer.subscription}
    ) == (True, None)
    events = [f for f in viewer.frames if f["type"] == "events"]
    assert {f["replay"] for f in events} == {True, False}
    for frame in events:
        assert contracts.check("streams.events", frame) == (True, None), frame
        for event in frame["events"]:
            assert contracts.check(
                "streams.chat.message", {"seq": event["seq"], **event["data"]}
            ) == (True, None)
