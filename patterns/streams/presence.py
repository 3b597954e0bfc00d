"""Presence: who is connected to a world's streams now. A Redis sorted set of connections per world,
each with an expiry its connection renews; one that vanished without saying goodbye drops out by
itself."""

import time

from patterns.site import redisclient

from .config import key

TTL = 40  # seconds: viewers renew every 15 s (their heartbeat)
_clients = {}


def _redis():
    import asyncio

    loop = asyncio.get_running_loop()
    if loop not in _clients:
        _clients[loop] = redisclient.client(asynchronous=True)
    return _clients[loop]


async def join(viewer, room=""):
    r = _redis()
    await r.zadd(key("viewers", room), {viewer: time.time() + TTL})
    return await count(room)


async def leave(viewer, room=""):
    await _redis().zrem(key("viewers", room), viewer)
    return await count(room)


def client():
    """This event loop's Redis client (for presence, and for publishing from a consumer)."""
    return _redis()


async def count(room=""):
    r, viewers = _redis(), key("viewers", room)
    await r.zremrangebyscore(viewers, "-inf", time.time())
    return await r.zcard(viewers)
