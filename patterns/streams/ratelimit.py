"""Rate limits for chat lines and comments: a token bucket (BURST at once, then REFILL_PER_S a second).

A connection keeps its own bucket in memory; POSTs share one bucket per client and world in
Redis, so one student cannot flood the room through either door, and a busy room leaves the
others' buckets alone.
"""

import time

from patterns.ledger.roomctx import world

from .config import BURST, REFILL_PER_S, key

LIMIT_TEXT = f"at most {BURST} messages at once, then {REFILL_PER_S:g} a second"


class Bucket:
    def __init__(self, burst=BURST, rate=REFILL_PER_S):
        self.burst, self.rate = burst, rate
        self.tokens, self.at = float(burst), time.monotonic()

    def take(self):
        """0 if allowed, else the seconds until the next message is."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0
        return (1 - self.tokens) / self.rate


# One atomic step of a bucket kept in a Redis hash: returns the wait in milliseconds (0: allowed).
_LUA = """
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local burst, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], 60)
return wait
"""


def take_shared(r, client_key):
    """A POST's turn from the client's shared bucket in the world at hand: 0 if allowed, else
    seconds to wait."""
    wait_ms = r.eval(
        _LUA, 1, key(f"rate:{client_key}", world()), BURST, REFILL_PER_S, f"{time.time():.6f}"
    )
    return int(wait_ms) / 1000
