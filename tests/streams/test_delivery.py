"""Every viewer complete: live delivery, resume after a drop, a viewer that never reads, flow control."""

import pytest

from patterns.ledger.models import Message
from patterns.streams.consumers import StreamConsumer
from patterns.streams.publisher import publish

from .client import Viewer

pytestmark = pytest.mark.django_db(transaction=True)


def lines(n, start=1):
    return [{"type": "line", "nick": "bot", "text": f"line {i}"} for i in range(start, start + n)]


def test_a_chat_line_from_one_viewer_reaches_both_viewers_once(asgi_server):
    with (
        Viewer(asgi_server, {"chat": {"after": None}}) as ada,
        Viewer(asgi_server, {"chat": {"after": None}}) as bob,
    ):
        ada.send({"type": "chat", "nick": "ada", "text": "hello bob"})
        assert ada.next_of("sent")["seq"] == 1
        for viewer in (ada, bob):
            viewer.collect("chat", 1)
            assert viewer.seqs["chat"] == [1]
        assert bob.until(lambda: True).seqs["chat"] == [1]
        extra = [f for f in bob.frames if f["type"] == "events"]
        assert [e["data"] for f in extra for e in f["events"]] == [
            {"type": "line", "nick": "ada", "text": "hello bob"}
        ]
    assert Message.objects.filter(style="streams", kind="chat.message").count() == 1


def test_a_viewer_dropped_after_50_of_200_resumes_after_50_with_each_line_exactly_once(asgi_server):
    with Viewer(asgi_server, {"chat": {"after": 0}}) as viewer:
        for n in range(0, 50, 10):
            publish("chat", lines(10, n + 1))
        viewer.collect("chat", 50)
    assert viewer.seqs["chat"] == list(range(1, 51))
    for n in range(50, 200, 10):  # broadcast while it is away
        publish("chat", lines(10, n + 1))
    with Viewer(asgi_server, {"chat": {"after": 50}}) as back:
        publish("chat", lines(5, 201))  # and live again after the replay
        back.collect("chat", 205)
    seen = viewer.seqs["chat"] + back.seqs["chat"]
    assert seen == list(range(1, 206))
    replayed = [f["replay"] for f in back.frames if f["type"] == "events"]
    assert replayed[0] is True


def test_a_viewer_that_never_reads_gets_only_a_window_then_catches_up_from_the_database(
    asgi_server,
):
    with (
        Viewer(asgi_server, {"chat": {"after": 0}}, ack=False) as sleepy,
        Viewer(asgi_server, {"chat": {"after": 0}}) as awake,
    ):
        for n in range(0, 500, 25):
            publish("chat", lines(25, n + 1))
        awake.collect("chat", 500)  # the others are not held up
        assert awake.seqs["chat"] == list(range(1, 501))
        # The sleeper now reads (without acknowledging): the server sent it one window, no more.
        sleepy.collect("chat", StreamConsumer.WINDOW)
        with pytest.raises(AssertionError, match="timed out"):
            sleepy.until(lambda: len(sleepy.seqs["chat"]) > StreamConsumer.WINDOW, timeout=1.5)
        assert len(sleepy.seqs["chat"]) == StreamConsumer.WINDOW
        sleepy.ack = True  # it wakes up: acknowledging brings the rest, from the database
        sleepy.send({"type": "ack", "stream": "chat", "seq": sleepy.seqs["chat"][-1]})
        sleepy.collect("chat", 500)
    assert sleepy.seqs["chat"] == list(range(1, 501))


def test_a_new_viewer_sees_the_recent_backlog_then_live_lines(asgi_server):
    publish("chat", lines(80))
    with Viewer(asgi_server, {"chat": {"after": None}}) as viewer:
        viewer.collect("chat", 80)
        publish("chat", lines(1, 81))
        viewer.collect("chat", 81)
    assert viewer.seqs["chat"] == list(range(31, 82))
