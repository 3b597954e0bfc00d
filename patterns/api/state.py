"""Shop's small shared state in Redis (the "state" DB): rate-limit buckets, the failure switches,
the poller's counters. Redis, not process memory, so every web process and worker agrees.

Every key is the world's (a room's, or the shared demo's): a room that switches Shop off, drains a
bucket or starts a poller changes nothing another room or the shared demo sees. The shared demo
keeps the plain names (api:mode …); a room's live under api:room:<code>: (no plain name starts
with "room:", so the two never meet).
"""

from patterns.ledger.roomctx import world
from patterns.site import redisclient

PREFIX = "api:"
_client = None


def client():
    global _client
    if _client is None:  # redis-py's pool is thread-safe and reconnects after a fork
        _client = redisclient.client(decode_responses=True)
    return _client


def key(name, room=None):
    """The Redis key of `name` in `room` (default: the world of the request or job at hand)."""
    code = world() if room is None else room
    return f"{PREFIX}room:{code}:{name}" if code else PREFIX + name


def shared_key(name):
    """A key that belongs to no world (the registry of worlds whose poller runs)."""
    return f"{PREFIX}all:{name}"
