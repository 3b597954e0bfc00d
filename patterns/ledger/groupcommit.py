"""Group commit: the hops of requests served at the same moment are written in one transaction.

Writing to the ledger costs one transaction (a lock, a commit, a doorbell) whatever its size, and
a daphne process runs database work on one thread. So while one batch is being written, the hops
of every request that finishes meanwhile wait for the next batch, and go in together. An idle
server writes each request's hops at once (no added wait); a busy one writes many per commit.
A response leaves only after its hops are committed: nothing is answered that is not recorded.
The writer outlives the request that started it, so it owns its task and its thread (background.py).
"""

import asyncio
import contextlib
import weakref

from django.db import transaction

from patterns.ledger.background import DatabaseThread, spawn
from patterns.ledger.recorder import record_many
from patterns.ledger.roomctx import current_room, in_room

# One writing thread (and so one database connection) for the process, whatever its event loops.
WRITER = DatabaseThread("ledger-group-commit")


def _record_in_worlds(items):
    """Record each request's hops in its world: one record_many per world (usually just one)."""
    worlds = {}
    for world, hops in items:
        worlds.setdefault(world, []).extend(hops)
    # Still one commit for the whole batch. One world (the usual case) needs no outer transaction:
    # record_many's own is the commit, with no savepoint inside another.
    with transaction.atomic() if len(worlds) > 1 else contextlib.nullcontext():
        for world, hops in worlds.items():
            with in_room(world):
                record_many(hops)


def _settle(future, error=None):
    if not future.done():
        future.set_exception(error) if error else future.set_result(None)


class GroupCommit:
    def __init__(self):
        self.waiting = []  # (hops, future) of requests whose hops are not written yet
        self.writing = False

    async def record(self, hops):
        future = asyncio.get_running_loop().create_future()
        # The writer runs outside this request's context, so the request's world travels with its
        # hops — the shared demo's ("") too: hops with no world would take a room's from their
        # correlation id, and a keyless request could write into a room's log.
        self.waiting.append((current_room.get(), hops, future))
        if not self.writing:
            self.writing = True
            spawn(self._write_all())
        await future

    async def _write(self, batch):
        """Write a batch; if it fails, write each request's hops alone, so one bad hop fails only its own."""
        try:
            await WRITER.run(_record_in_worlds, [(world, hops) for world, hops, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][2], exc)
                return
            for item in batch:
                await self._write([item])
            return
        for _, _, future in batch:
            _settle(future)

    async def _write_all(self):
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                await self._write(batch)
        finally:
            self.writing = False


_per_loop = weakref.WeakKeyDictionary()  # one per event loop (daphne has one; tests make many)


async def record(hops):
    """Record `hops` (a list of record() field dicts) with whatever else is being recorded now."""
    loop = asyncio.get_running_loop()
    committer = _per_loop.get(loop)
    if committer is None:
        committer = _per_loop[loop] = GroupCommit()
    await committer.record(hops)
