"""Shop's small shared state in Redis (the "state" DB): rate-limit buckets, the failure switches,
the poller's counters. Redis, not process memory, so every web process and worker agrees."""

from patterns.site import redisclient

PREFIX = "api:"
_client = None


def client():
    global _client
    if _client is None:  # redis-py's pool is thread-safe and reconnects after a fork
        _client = redisclient.client(decode_responses=True)
    return _client


def key(name):
    return PREFIX + name
