"""However a connection ends — a goodbye after a failed handler, a crash, a cancellation — the
consumer lets go of what it holds: the streams' presence, the feed's place in its hub.

The consumers are the real ones with one step made to fail (no bad frame reaches that far any
more), run by Channels' communicator on the real channel layer and the real Redis."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from patterns.feed.consumers import FeedConsumer
from patterns.feed.hub import Hub
from patterns.streams import presence
from patterns.streams.consumers import StreamConsumer


class Bug(Exception):
    pass


class FailingStreams(StreamConsumer):
    async def sync(self, content):
        raise Bug("a handler that fails")


class FailingFeed(FeedConsumer):
    async def resume(self, content):
        raise Bug("a handler that fails")


class CrashingStreams(StreamConsumer):
    async def connect(self):
        await super().connect()
        raise Bug("a consumer that dies after joining")


async def _hub_members():
    return sum(len(hub.members) for hub in Hub.hubs.values())


CASES = {
    "streams": (FailingStreams, "/ws/streams/", presence.count),
    "feed": (FailingFeed, "/ws/feed/", _hub_members),
}


def _socket(consumer, path):
    return WebsocketCommunicator(
        consumer.as_asgi(), path, headers=[(b"origin", b"http://testserver")]
    )


async def _open(consumer, path):
    socket = _socket(consumer, path)
    connected, _ = await socket.connect()
    assert connected
    if consumer is FailingStreams:
        assert (await socket.receive_json_from())["type"] == "welcome"
    return socket


@pytest.mark.parametrize("case", CASES)
def test_a_failing_handler_answers_with_an_error_frame_closes_cleanly_and_lets_go(case, caplog):
    consumer, path, holding = CASES[case]

    async def run():
        socket = await _open(consumer, path)
        held = await holding()
        await socket.send_json_to({"type": "sync" if consumer is FailingStreams else "resume"})
        error, closed = await socket.receive_json_from(), await socket.receive_output()
        await socket.disconnect(code=1011)  # what daphne tells the consumer after the close
        return held, error, closed, await holding()

    held, error, closed, after = async_to_sync(run)()
    assert error["type"] == "error" and error["error"] == "server_error"
    assert closed == {"type": "websocket.close", "code": 1011}
    assert after == held - 1
    assert "handling a frame failed" in caplog.text


@pytest.mark.parametrize("case", CASES)
def test_a_cancelled_consumer_lets_go(case):
    consumer, path, holding = CASES[case]

    async def run():
        socket = await _open(consumer, path)
        held = await holding()
        socket.future.cancel()  # daphne cancels a consumer that outlives its connection
        with pytest.raises(asyncio.CancelledError):
            await socket.future
        return held, await holding()

    held, after = async_to_sync(run)()
    assert after == held - 1


def test_a_crashed_consumer_lets_go():
    async def run():
        before = await presence.count()
        socket = _socket(CrashingStreams, "/ws/streams/")
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from())["type"] == "welcome"
        with pytest.raises(Bug):
            while True:  # its own arrival may reach it first (a presence frame), then the crash
                frame = await socket.receive_output(timeout=5)
                assert frame.get("type") == "websocket.send", frame
        return before, await presence.count()

    before, after = async_to_sync(run)()
    assert after == before
