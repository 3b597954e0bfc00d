"""However a connection ends — a goodbye after a failed handler, a crash, a cancellation — the
consumer lets go of what it holds: the streams' presence, the feed's place in its hub.

The consumers are the real ones with one step made to fail (no bad frame reaches that far any
more), run by Channels' communicator on the real channel layer and the real Redis."""

import asyncio
import time

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


@pytest.mark.timeout(60)  # a consumer that never ends holds its event loop's close
def test_consumers_that_crash_one_after_another_each_end_at_once():
    """A consumer's end cancels what it waits on. Channels' own receive on the channel layer (a
    blocking pop on Redis, shared by the process's consumers) could swallow that cancellation,
    about once in thirty, and the consumer then never ended; a page's consumer has none."""

    async def run():
        began = time.monotonic()
        for _ in range(60):
            socket = _socket(CrashingStreams, "/ws/streams/")
            assert (await socket.connect())[0]
            with pytest.raises(Bug):
                await socket.wait(timeout=5)
        return time.monotonic() - began

    assert async_to_sync(run)() < 60


def test_a_crashed_consumer_lets_go():
    async def run():
        before = await presence.count()
        socket = _socket(CrashingStreams, "/ws/streams/")
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from())["type"] == "welcome"
        with pytest.raises(Bug):
            await socket.wait(timeout=10)  # the consumer's end, whatever frames it sent first
        return before, await presence.count()

    before, after = async_to_sync(run)()
    assert after == before
