"""Group commit: concurrent requests' hops share one transaction, and one bad hop fails only its
own request, never its neighbours'."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from patterns.ledger import groupcommit
from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room

pytestmark = pytest.mark.django_db(transaction=True)


def hop(n, **extra):
    return {
        "style": "api",
        "kind": "test",
        "hop": "request",
        "source": "app",
        "target": "shop",
        "uid": f"gc-{n}",
        **extra,
    }


def test_hops_recorded_together_are_all_written_once():
    async def many():
        await asyncio.gather(
            *(groupcommit.record([hop(n), hop(f"{n}-r", hop="response")]) for n in range(20))
        )

    asyncio.run(many())
    assert Message.objects.count() == 40
    asyncio.run(many())  # the same uids again: nothing doubled
    assert Message.objects.count() == 40


def test_one_bad_hop_fails_only_its_own_request():
    async def mixed():
        return await asyncio.gather(
            groupcommit.record([hop(1)]),
            groupcommit.record([hop(2, nonsense=True)]),
            groupcommit.record([hop(3)]),
            return_exceptions=True,
        )

    results = asyncio.run(mixed())
    assert results[0] is None and isinstance(results[1], TypeError) and results[2] is None
    assert sorted(Message.objects.values_list("uid", flat=True)) == ["gc-1", "gc-3"]


def test_the_writer_outlives_the_request_that_started_it():
    """Django runs an async view under a sync middleware through async_to_sync, on the server's
    one event loop: the middleware's thread becomes an executor that quits when that request has
    answered. A writer started by one request must not lean on it for the requests after it."""

    def request(n):
        for i in range(10):
            async_to_sync(groupcommit.record)([hop(f"{n}-{i}")])

    async def server():
        await asyncio.gather(*(sync_to_async(request, thread_sensitive=False)(n) for n in range(8)))

    asyncio.run(server())
    assert Message.objects.count() == 80


def test_each_request_s_hops_keep_its_own_room():
    async def request(room, n):
        with in_room(room):
            await groupcommit.record([hop(f"{room or 'demo'}-{n}")])

    async def server():
        await asyncio.gather(
            *(request(room, n) for n in range(5) for room in ("AAAAA", "BBBBB", None))
        )

    asyncio.run(server())
    rooms = dict(Message.objects.values_list("uid", "room"))
    assert {uid: room for uid, room in rooms.items() if room} == {
        f"gc-{r}-{n}": r for r in ("AAAAA", "BBBBB") for n in range(5)
    }
    assert sum(1 for room in rooms.values() if not room) == 5


def test_every_event_loop_writes_through_the_one_writer_thread():
    """A test client runs each request on an event loop of its own: the writer's thread, and its
    database connection, stay one for the process (each loop once opened its own, never closed)."""
    for n in range(5):
        asyncio.run(groupcommit.record([hop(f"loop-{n}")]))
    writers = [t for t in threading.enumerate() if t.name.startswith("ledger-group-commit")]
    assert len(writers) == 1
    assert Message.objects.filter(uid__startswith="gc-loop-").count() == 5
