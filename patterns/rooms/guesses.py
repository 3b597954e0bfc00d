"""Room codes are not guessed: every look-up of a code goes through `find` here.

A code is 5 of 27 characters (14 million codes) and a server holds a few rooms, so a code is
found by trying many. Each client address may miss LIMIT different codes within WINDOW seconds
of its first miss; past that, every look-up it makes, hit or miss, is refused with 429 and
Retry-After until the window ends. (A window of the wall clock would let a guesser spend two
windows' misses across a boundary, and split a test's misses in two.) Different codes, not look-ups: a page with a mistyped code asks
several times (its API calls, its socket, its banner) and has made one mistake.

The misses are kept in Redis (a set per client and window, expiring with it), so every web process
counts the same. When Redis cannot be reached the look-up goes ahead: joining a room matters more
than slowing a guesser for the moment.
"""

import logging

import redis
from django.http import HttpResponse

from patterns.ledger.errors import ApiError
from patterns.site import redisclient

from . import models

log = logging.getLogger(__name__)
LIMIT = 10
WINDOW = 60
PREFIX = "rooms:misses:"
_client = None


class TooManyGuesses(ApiError):
    def __init__(self, retry_after):
        super().__init__(
            429,
            "too_many_guesses",
            f"too many room codes that do not exist were tried from here; "
            f"try again in {retry_after} s",
            "room",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after

    def page(self):
        """The refusal for a page (a person reads it, not a program)."""
        return HttpResponse(
            "Too many room codes that do not exist were tried from here. "
            f"Check the code and try again in {self.retry_after} seconds.",
            status=429,
            content_type="text/plain; charset=utf-8",
            headers=self.headers,
        )


def _redis():
    global _client
    if _client is None:  # redis-py's pool is thread-safe and reconnects after a fork
        _client = redisclient.client()
    return _client


def find(code, client):
    """The room with this code, or None (a miss, counted against `client`, an IP address); raises
    TooManyGuesses when `client` has missed too often in this window."""
    key = f"{PREFIX}{client or 'unknown'}"
    try:
        misses, ttl = _redis().pipeline().scard(key).ttl(key).execute()
        if misses >= LIMIT:
            raise TooManyGuesses(max(1, ttl))
    except redis.RedisError:
        log.warning("room look-ups: Redis unreachable, not counting misses", exc_info=True)
    room = models.find(code)
    if room is None:
        try:
            added, ttl = (
                _redis().pipeline().sadd(key, models.normalise(code)[:32]).ttl(key).execute()
            )
            if ttl < 0:  # the first miss opens the window
                _redis().expire(key, WINDOW)
        except redis.RedisError:
            log.warning("room look-ups: Redis unreachable, not counting misses", exc_info=True)
    return room


def client_of(request):
    """The address a request came from (daphne --proxy-headers sets it behind a proxy)."""
    return request.META.get("REMOTE_ADDR", "")
