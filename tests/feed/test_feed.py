"""The live feed over a real daphne, a real channel layer and a real Redis."""

import json
import time
from contextlib import ExitStack

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from patterns.feed.doorbell import GROUP
from patterns.ledger.models import Message
from tests.helpers import FeedClient, record_pings

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_feed_refuses_a_foreign_origin(asgi_server):
    with pytest.raises(InvalidStatus) as refused:
        with FeedClient(asgi_server, origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403


def test_resume_after_n_returns_exactly_the_messages_after_n_in_order(asgi_server):
    ids = record_pings(20)
    with FeedClient(asgi_server, after=ids[9]) as feed:
        got = [m["id"] for m in feed.collect(10)]
        assert feed.settle() == []
    assert got == ids[10:]


@pytest.mark.slow
def test_pages_resuming_and_syncing_while_messages_pour_in_get_each_message_once(asgi_server):
    """A resume, a heartbeat and the doorbell's rings each read the ledger after the page's cursor;
    at the same moment they must not send the same rows twice (the hub calls a page beside the
    page's own frames: CI once saw a resume and a ring double ten messages)."""
    ids, pages = [], []
    with ExitStack() as stack:
        for _ in range(12):
            ids += record_pings(25)  # their rings are still on the way while the page resumes
            after = ids[-10]
            page = stack.enter_context(FeedClient(asgi_server, after=after))
            page.send({"type": "sync"})
            pages.append((page, after))
        ids += record_pings(25)
        for page, after in pages:
            expected = [i for i in ids if i > after]
            got = [m["id"] for m in page.collect(len(expected))]
            assert page.settle() == [] and got == expected


def test_a_new_page_gets_its_backlog_then_live_messages(asgi_server):
    old = record_pings(5)
    with FeedClient(asgi_server, backlog=3) as feed:
        feed.wait_ready()
        new = record_pings(2)
        got = [m["id"] for m in feed.collect(5)]
    assert got == old[2:] + new


def test_a_burst_of_1000_messages_reaches_a_connected_page_complete_each_once_in_order(asgi_server):
    with FeedClient(asgi_server) as feed:
        feed.wait_ready()
        ids = record_pings(1000)  # 1,000 commits, 1,000 doorbells: far over the layer's capacity
        got = [m["id"] for m in feed.collect(1000, timeout=60)]
        assert feed.settle() == []
    assert got == ids


def test_messages_written_without_any_doorbell_still_reach_the_page(asgi_server):
    """The layer is only a doorbell: rows it never announced arrive with the next ring."""
    with FeedClient(asgi_server) as feed:
        feed.wait_ready()
        Message.objects.bulk_create(
            Message(
                style="ping",
                kind="silent",
                hop="sent",
                source="a",
                target="b",
                created_at="2026-01-01T00:00Z",
            )
            for _ in range(30)
        )
        last = record_pings(1)
        got = feed.collect(31)
    assert [m["kind"] for m in got] == ["silent"] * 30 + ["test"]
    assert got[-1]["id"] == last[0]


def test_a_doorbell_with_a_wrong_chain_makes_the_page_read_the_ledger(asgi_server):
    """A real row recorded after the bogus ring rings behind it on the same group: once the page
    has that row, the bogus ring has been handled, and nothing else may have come."""
    ids = record_pings(3)
    with FeedClient(asgi_server, after=ids[0]) as feed:
        feed.collect(2)
        bogus = {
            "type": "ledger.doorbell",
            "prev_id": 0,
            "last_id": ids[-1] + 5,
            "messages": [{"id": 10**9}],
        }
        async_to_sync(get_channel_layer().group_send)(GROUP, bogus)
        after_it = record_pings(1)
        feed.collect(3)
        assert feed.settle() == []  # nothing invented, nothing repeated
    assert [m["id"] for m in feed.messages] == ids[1:] + after_it


def test_the_feed_filters_by_style_and_kind(asgi_server):
    with FeedClient(asgi_server, query="kind=wanted") as feed:
        feed.wait_ready()
        record_pings(3)
        wanted = record_pings(2, kind="wanted")
        got = feed.collect(2)
        assert feed.settle() == []
    assert [m["id"] for m in got] == wanted


@pytest.mark.slow
def test_a_page_that_does_not_acknowledge_is_held_at_the_window_then_served_from_the_ledger(
    asgi_server,
):
    with FeedClient(asgi_server, ack=False) as feed:
        feed.wait_ready()
        ids = record_pings(2300)
        held = feed.collect(2000, timeout=60)
        assert feed.settle() == []  # the server stops pushing: no unbounded buffering
        feed.send({"type": "ack", "cursor": feed.cursor})
        got = [m["id"] for m in feed.collect(2300, timeout=30)]
    assert len(held) >= 2000 and got == ids


def test_bad_frames_get_an_error_frame_and_the_connection_stays(asgi_server):
    with FeedClient(asgi_server) as feed:
        feed.wait_ready()
        for bad in (
            "not json",
            json.dumps([1, 2]),
            json.dumps({"type": "dance"}),
            json.dumps({"type": "ack", "cursor": "x"}),
        ):
            feed.ws.send(bad)
            assert feed.receive(5)["type"] == "error"
        ids = record_pings(1)
        assert [m["id"] for m in feed.collect(1)] == ids


def test_an_unknown_filter_is_refused_with_an_error_frame_and_a_close(asgi_server):
    with connect(f"{asgi_server.ws_url}/ws/feed/?colour=red", origin=asgi_server.origin) as ws:
        frame = json.loads(ws.recv(timeout=5))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert (
        frame["type"] == "error" and frame["error"] == "bad_filter" and "colour" in frame["detail"]
    )
    assert closed.value.rcvd.code == 4400


def test_an_unknown_room_is_told_in_an_error_frame_then_closed_with_4404(asgi_server):
    with connect(f"{asgi_server.ws_url}/ws/feed/?room=abcde", origin=asgi_server.origin) as ws:
        frame = json.loads(ws.recv(timeout=5))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert frame == {"type": "error", "error": "unknown_room", "detail": "there is no room ABCDE"}
    assert closed.value.rcvd.code == 4404


def test_a_heartbeat_is_answered_with_the_cursor(asgi_server):
    record_pings(2)
    with FeedClient(asgi_server) as feed:
        feed.wait_ready()
        feed.send({"type": "sync"})
        frame = feed.receive(5)
    assert frame["type"] == "pong" and frame["cursor"] == Message.objects.last().id


@pytest.mark.slow
def test_a_page_idle_for_longer_than_the_layers_blocking_read_stays_connected(asgi_server):
    with FeedClient(asgi_server) as feed:
        feed.wait_ready()
        time.sleep(7)  # channels_redis blocks 5 s per read of an idle channel
        ids = record_pings(1)
        assert [m["id"] for m in feed.collect(1, timeout=10)] == ids
