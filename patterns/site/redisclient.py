"""Every redis-py client of the playground, built in one place with the same short timeouts.

redis-py 8 waits 5 s for a reply and retries a timed-out call 10 times: a frozen Redis (SIGSTOP,
a stalled VM) held a request for most of a minute. Here a call gives up after REDIS_TIMEOUT_S and
is never retried on a timeout, only once, at once, on a refused or reset connection (a pooled
connection left over from before a Redis restart). Blocking readers (pub/sub listeners, BLPOP)
ask for `blocking=True`: no read timeout, but the same short connect timeout.
"""

import redis
import redis.asyncio
from django.conf import settings
from redis.backoff import NoBackoff


def _retry(asynchronous):
    module = redis.asyncio.retry if asynchronous else redis.retry
    return module.Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,))


def options(asynchronous=False, blocking=False):
    """Keyword arguments for a redis-py client or connection pool."""
    timeout = settings.REDIS_TIMEOUT_S
    return {
        "socket_timeout": None if blocking else timeout,
        "socket_connect_timeout": timeout,
        "retry": _retry(asynchronous),
    }


def client(use="state", *, asynchronous=False, blocking=False, **extra):
    """A client for one use of Redis ("state", "broker", "channels"), e.g. client(decode_responses=True)."""
    module = redis.asyncio if asynchronous else redis
    return module.Redis.from_url(
        settings.REDIS_URLS[use], **options(asynchronous, blocking), **extra
    )
