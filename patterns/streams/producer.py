"""The producer: a small process that runs the ticker and the match (started by `manage.py playground`).

Every TICK it visits each world whose ticker or match runs (a Redis set), reads that world's
controls, stores the messages now due in that world's streams (one transaction per stream per
tick, so 200 messages a second are about 20 small writes), broadcasts them to that world's
viewers, and renews its heartbeat (the API refuses to start a ticker nobody would run).
"""

import asyncio
import logging
import time

from channels.db import database_sync_to_async

from patterns.site import redisclient

from . import match
from .config import KEY_PRODUCER, KEY_WORLDS, MAX_RATE, forget_if_idle, key
from .publisher import append, broadcast
from .ticker import Pacer, RandomWalk

TICK = 0.05
log = logging.getLogger(__name__)


class Producer:
    def __init__(self):
        self.redis = redisclient.client(asynchronous=True, decode_responses=True)
        self.walks, self.pacers = {}, {}  # per world: each world's prices walk on their own
        self.stopping = False

    async def run(self):
        log.info("streams producer running (tick %.0f ms)", TICK * 1000)
        next_tick = time.monotonic()
        while not self.stopping:
            try:
                await self.tick()
            except Exception:  # a database or Redis hiccup: say so, keep producing
                log.exception("streams producer tick failed; retrying")
                await asyncio.sleep(1)
            next_tick = max(next_tick + TICK, time.monotonic())
            await asyncio.sleep(next_tick - time.monotonic())
        await self.redis.delete(KEY_PRODUCER)

    async def tick(self):
        await self.redis.set(KEY_PRODUCER, "1", ex=3)
        worlds = sorted(await self.redis.smembers(KEY_WORLDS))
        for gone in set(self.pacers) - set(worlds):  # a world whose ticker and match stopped
            del self.pacers[gone]
        for world in worlds:
            await self.tick_world(world)

    async def tick_world(self, world):
        """Emit what is due now in one world, to that world's streams only."""
        ticker_key, match_key = key("ticker", world), key("match", world)
        ticker_state, match_state = (
            await self.redis.hgetall(ticker_key),
            await self.redis.hgetall(match_key),
        )
        pacer = self.pacers.setdefault(world, Pacer())
        count = pacer.due(ticker_state, time.monotonic(), cap=MAX_RATE)
        if count:
            walk = self.walks.setdefault(world, RandomWalk())
            prices = [walk.step() for _ in range(count)]
            frames = await database_sync_to_async(append)("ticker", prices, room=world)
            await self.redis.hincrby(ticker_key, "sent", count)
            await broadcast("ticker", frames, self.redis, room=world)
        due = match.due(match_state, time.time())
        if due:
            events = [match.payload(match_state["id"], i) for i in due]
            uids = [
                f"match-{match_state['id']}-{i}" for i in due
            ]  # a restarted producer repeats nothing
            frames = await database_sync_to_async(append)("match", events, uids=uids, room=world)
            await self.redis.hset(match_key, "next", due[-1] + 1)
            if due[-1] == len(match.SCRIPT) - 1:
                await self.redis.hset(match_key, "running", "0")
                await forget_if_idle(self.redis, world)
            await broadcast("match", frames, self.redis, room=world)
