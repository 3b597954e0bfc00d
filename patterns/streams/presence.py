"""Presence: who is connected to the streams now. A Redis sorted set of connections, each with an
expiry its connection renews; one that vanished without saying goodbye drops out by itself."""

import time

from patterns.site import redisclient

from .config import KEY_VIEWERS

TTL = 40  # seconds: viewers renew every 15 s (their heartbeat)
_clients = {}


def _redis():
    import asyncio

    loop = asyncio.get_running_loop()
    if loop not in _clients:
        _clients[loop] = redisclient.client(asynchronous=True)
    return _clients[loop]


async def join(channel_name):
    r = _redis()
    await r.zadd(KEY_VIEWERS, {channel_name: time.time() + TTL})
    return await count()


async def leave(channel_name):
    await _redis().zrem(KEY_VIEWERS, channel_name)
    return await count()


def client():
    """This event loop's Redis client (for presence, and for publishing from a consumer)."""
    return _redis()


async def count():
    r = _redis()
    await r.zremrangebyscore(KEY_VIEWERS, "-inf", time.time())
    return await r.zcard(KEY_VIEWERS)
