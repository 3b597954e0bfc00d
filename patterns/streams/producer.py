"""The producer: a small process that runs the ticker and the match (started by `manage.py playground`).

Every TICK it reads the controls from Redis, stores the messages now due (one transaction per
stream per tick, so 200 messages a second are about 20 small writes), broadcasts them, and
renews its heartbeat (the API refuses to start a ticker nobody would run).
"""

import asyncio
import logging
import time

from channels.db import database_sync_to_async

from patterns.site import redisclient

from . import match
from .config import KEY_MATCH, KEY_PRODUCER, KEY_TICKER, MAX_RATE
from .publisher import append, broadcast
from .ticker import Pacer, RandomWalk

TICK = 0.05
log = logging.getLogger(__name__)


class Producer:
    def __init__(self):
        self.redis = redisclient.client(asynchronous=True, decode_responses=True)
        self.walk, self.pacer = RandomWalk(), Pacer()
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
        ticker_state, match_state = (
            await self.redis.hgetall(KEY_TICKER),
            await self.redis.hgetall(KEY_MATCH),
        )
        count = self.pacer.due(ticker_state, time.monotonic(), cap=MAX_RATE)
        if count:
            prices = [self.walk.step() for _ in range(count)]
            frames = await database_sync_to_async(append)("ticker", prices)
            await self.redis.hincrby(KEY_TICKER, "sent", count)
            await broadcast("ticker", frames, self.redis)
        due = match.due(match_state, time.time())
        if due:
            events = [match.payload(match_state["id"], i) for i in due]
            uids = [
                f"match-{match_state['id']}-{i}" for i in due
            ]  # a restarted producer repeats nothing
            frames = await database_sync_to_async(append)("match", events, uids=uids)
            await self.redis.hset(KEY_MATCH, "next", due[-1] + 1)
            if due[-1] == len(match.SCRIPT) - 1:
                await self.redis.hset(KEY_MATCH, "running", "0")
            await broadcast("match", frames, self.redis)
