"""Contracts for everything: fire every registered trigger of every built style through the real
parts, and every kind of message that lands in the ledger must claim a contract and meet it.
The live feed's own frames are checked against their contracts on the wire too."""

import time

import pytest

from patterns.contracts import registry as contracts
from patterns.ledger.models import Message
from patterns.site import triggers
from patterns.site.styles import STYLES
from tests.helpers import FeedClient, eventually, record_pings

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])


def quiet_ledger(seconds=1.5, timeout=60):
    """Wait until the ledger has stopped growing for `seconds` (workers and servers done). Not a
    proof that nothing more comes: the test checks the contracts of the rows that are there, and a
    style's normal events leave no closing record common to all styles to wait for instead."""
    seen = {"count": -1, "since": time.monotonic()}

    def quiet():
        count = Message.objects.count()
        if count != seen["count"]:
            seen.update(count=count, since=time.monotonic())
        return time.monotonic() - seen["since"] >= seconds

    eventually(quiet, timeout=timeout, interval=0.1, message="the ledger to become quiet")


@pytest.mark.slow
def test_every_message_kind_of_every_built_style_claims_a_contract_and_meets_it(
    asgi_server, celery_worker, shop
):
    built = {s.key for s in STYLES} | {"ping"}
    fired = [t for t in triggers.all_triggers() if t.style in built]
    assert {t.style for t in fired} >= {"api", "ping"}
    for trigger in fired:
        trigger.fire({})  # each style's normal event, with its default data
    quiet_ledger()
    kinds = {}
    for message in Message.objects.all():
        kinds.setdefault((message.style, message.kind), []).append(message)
    assert {style for style, _ in kinds} >= {"api", "ping"}
    for (style, kind), messages in kinds.items():
        claimed = {m.contract for m in messages if m.contract}
        assert claimed, f"no message of {style}/{kind} claims a contract"
        for name in claimed:
            assert contracts.get(name) is not None, (
                f"{style}/{kind} claims {name!r}, which is not registered"
            )
        broken = [(m.hop, m.error) for m in messages if m.valid is False]
        assert not broken, f"normal {style}/{kind} messages broke their contract: {broken}"


def test_the_live_feeds_frames_meet_the_feed_contracts(asgi_server):
    record_pings(3)
    with FeedClient(asgi_server, query="style=ping", backlog=2) as feed:
        feed.wait_ready()
        feed.send({"type": "sync"})
        feed.send({"type": "nonsense"})
        feed.receive_until(lambda: len(feed.frames) >= 3, timeout=10, message="three frames")
    sent = [
        {"type": "resume", "after": None, "backlog": 2},
        {"type": "sync"},
        {"type": "ack", "cursor": 3},
    ]
    for frame in sent:
        assert contracts.check(f"feed.{frame['type']}", frame) == (True, None)
    for frame in feed.frames:
        assert contracts.check(f"feed.{frame['type']}", frame) == (True, None), frame
    assert {f["type"] for f in feed.frames} == {"messages", "pong", "error"}
