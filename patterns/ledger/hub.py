"""One channel-layer subscription per feed group per web process; the pages fan out in memory.

With channels_redis every member of a group is a list in Redis: a ring to a room of 200 pages
was 200 pushes and 200 blocking pops, one round trip each (bench/classroom.py: seconds of delay
at 10 events/s). Here each process joins a group once, with its own channel, and hands each
event to its pages in memory, so a ring costs one pop per process, whatever the size of the room.
The events are the same dicts the pages would have received; the ledger remains the truth.
"""

import asyncio
import logging

log = logging.getLogger(__name__)


class Hub:
    hubs = {}  # group -> Hub, in this process (daphne runs one event loop)

    def __init__(self, layer, group):
        self.layer, self.group, self.members = layer, group, set()
        self.started = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self.run())

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
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis blinked: pages catch up on their next heartbeat
                log.warning("feed hub %s: receive failed (%s)", self.group, exc)
                await asyncio.sleep(1)
                continue
            handler = event.get("type", "").replace(".", "_")
            for consumer in list(self.members):
                try:
                    await getattr(consumer, handler)(event)
                except Exception:
                    log.exception("feed hub %s: a page failed to take %s", self.group, handler)
