"""One channel-layer subscription per feed group per web process; the pages fan out in memory.

With channels_redis every member of a group is a list in Redis: a ring to a room of 200 pages
was 200 pushes and 200 blocking pops, one round trip each (bench/classroom.py: seconds of delay
at 10 events/s). Here each process joins a group once, with its own channel, and hands each
event to its pages in memory, so a ring costs one pop per process, whatever the size of the room.
The events are the same dicts the pages would have received; the ledger remains the truth.
"""

import asyncio
import logging

from patterns.feed.doorbell import chain
from patterns.ledger.background import spawn

log = logging.getLogger(__name__)
REORDER_WAIT = 0.05  # seconds a ring that overtook the one before it waits for it
# At most one fan-out per TICK: rings arriving sooner after the last one wait and go out together,
# one frame per page. A frame costs the web process about the same whatever it holds, so at a
# lecture hall's rate (40 rings/s × 200 pages) the number of frames is what sets the latency; a
# ring after a quiet spell still goes out at once. 40 ms is below what an eye notices.
TICK = 0.04


class Hub:
    hubs = {}  # group -> Hub, in this process (daphne runs one event loop)

    def __init__(self, layer, group):
        self.layer, self.group, self.members = layer, group, set()
        self.last_id = None  # the last ledger id rung to this group's pages
        self.started = asyncio.get_running_loop().create_future()
        self.task = spawn(self.run())  # it outlives the page that opened it

    @classmethod
    async def join(cls, layer, group, consumer):
        hub = cls.hubs.get(group)
        if hub is None:
            hub = cls.hubs[group] = cls(layer, group)
        hub.members.add(consumer)
        await asyncio.shield(hub.started)

    @classmethod
    async def leave(cls, group, consumer):
        hub = cls.hubs.get(group)
        if hub is None:
            return
        hub.members.discard(consumer)
        if not hub.members:
            del cls.hubs[group]
            hub.task.cancel()
            if hub.started.done() and not hub.started.exception():
                try:
                    await hub.layer.group_discard(hub.group, hub.channel)
                except Exception as exc:  # Redis gone: the group entry expires by itself
                    log.warning("feed hub: group_discard failed (%s)", exc)

    async def run(self):
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
        except Exception as exc:
            self.started.set_exception(exc)
            self.hubs.pop(self.group, None)
            return
        self.started.set_result(True)
        inbox = asyncio.Queue()
        dispatcher = spawn(self.dispatch(inbox))
        try:
            while True:
                try:
                    inbox.put_nowait(await self.layer.receive(self.channel))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # Redis blinked: pages catch up on their next heartbeat
                    log.warning("feed hub %s: receive failed (%s)", self.group, exc)
                    await asyncio.sleep(1)
        finally:
            dispatcher.cancel()

    async def dispatch(self, inbox):
        """Hand events to the pages, in ledger order and merged.

        - Merged: the rings that arrive while one fan-out runs, or within TICK of the last one,
          wait and then go out as one frame per page. At a lecture hall's rate the per-frame
          cost (200 pages × every ring) is what loads the web process; when idle each ring goes
          out at once.
        - In order: the web process and the worker ring separately, so a ring can overtake the
          one before it. A page that sees a gap must read the ledger (a database round trip, for
          every cursor in the room), so a ring that arrives early is held until the ring it
          follows arrives — at most REORDER_WAIT; after that (a dropped ring) it goes out anyway.
        """
        held, held_since, last_fanout = [], None, float("-inf")
        loop = asyncio.get_running_loop()
        while True:
            wait = None if not held else max(0.0, REORDER_WAIT - (loop.time() - held_since))
            try:
                events = [await asyncio.wait_for(inbox.get(), wait)]
            except TimeoutError:
                events = []
            early = TICK - (loop.time() - last_fanout)
            if early > 0:
                await asyncio.sleep(early)
            while not inbox.empty():
                events.append(inbox.get_nowait())
            others = [e for e in events if e.get("type") != "ledger.doorbell"]
            ready, held = self.in_order(
                held + [e for e in events if e.get("type") == "ledger.doorbell"], flush=not events
            )
            held_since = (held_since or loop.time()) if held else None
            if others or ready:
                last_fanout = loop.time()
            for event in others + merge_rings(ready):
                handler = event.get("type", "").replace(".", "_")
                for consumer in list(self.members):
                    try:
                        await getattr(consumer, handler)(event)
                    except Exception:
                        log.exception("feed hub %s: a page failed to take %s", self.group, handler)

    def in_order(self, rings, flush):
        """(rings to send now, rings to hold): everything up to the first gap after the last id
        sent; everything if `flush` or before the first ring."""
        ready, rings = [], sorted(rings, key=lambda r: r["prev_id"])
        for n, ring in enumerate(rings):
            if not flush and self.last_id is not None and ring["prev_id"] > self.last_id:
                return ready, rings[n:]
            ready.append(ring)
            self.last_id = (
                ring["last_id"] if self.last_id is None else max(self.last_id, ring["last_id"])
            )
        return ready, []


def merge_rings(events):
    """Each run of doorbell rings between other events chained (doorbell.chain); any other event
    (a room's pause …) keeps its place."""
    merged, run = [], []
    for event in events:
        if event.get("type") == "ledger.doorbell":
            run.append(event)
        else:
            merged += chain(run) + [event]
            run = []
    return merged + chain(run)
