"""Fan-out: one Redis pub/sub subscription per web process hands every broadcast to all the viewers
in that process, encoded once.

A channel-layer group wakes one consumer task per viewer and decodes one copy per viewer: at 200
viewers and 20 messages a second that alone used the web process's CPU. Here a broadcast costs one
decode, one encode and then, per viewer, a sequence check and a socket write. Like the ledger's
doorbell it may drop (Redis restarting): viewers notice the gap by seq and read it from the database.
A broadcast names its world; only that world's viewers get it.
"""

import asyncio
import json
import logging

from patterns.ledger.background import spawn
from patterns.site import redisclient

from .config import pubsub_channel

log = logging.getLogger(__name__)


class Fanout:
    def __init__(self):
        self.viewers = set()
        self.task = None

    def add(self, viewer):
        self.viewers.add(viewer)
        if self.task is None or self.task.done():
            self.task = spawn(self.run())  # for the process's life, not its first viewer's

    def discard(self, viewer):
        self.viewers.discard(viewer)

    async def run(self):
        while True:  # for the life of the web process, once its first viewer came
            client = redisclient.client(asynchronous=True, blocking=True)  # it waits for broadcasts
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(pubsub_channel())
                    for viewer in list(self.viewers):  # what was published before we listened
                        viewer.kick()
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            await self.deliver(json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis went away: viewers catch up by seq once it is back
                log.warning("streams fan-out lost Redis (%s); retrying", exc)
                await asyncio.sleep(1)
            finally:
                await client.aclose()

    async def deliver(self, message):
        room = message.get("room", "")
        if message.get("kind") == "presence":
            text = json.dumps({"type": "presence", "viewers": message["viewers"]})
            for viewer in list(self.viewers):
                if viewer.room == room:
                    await self.send(viewer, text)
            return
        stream, frames = message["stream"], message["events"]
        text = json.dumps({"type": "events", "stream": stream, "events": frames, "replay": False})
        first, last = frames[0]["seq"], frames[-1]["seq"]
        for viewer in list(self.viewers):
            if viewer.room == room and viewer.offer(stream, first, last):
                await self.send(viewer, text)

    async def send(self, viewer, text):
        try:
            await viewer.send(text_data=text)
        except Exception as exc:  # one viewer's closed socket must not stop the others' messages
            log.info("streams: a viewer could not be sent to (%s)", exc)


fanout = Fanout()
