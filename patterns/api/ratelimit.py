"""Shop's documented per-client rate limit: a token bucket per client in Redis.

Each client (its X-Client-Id header, else its IP address) may burst up to `capacity` requests
and then `capacity` per `window` seconds: SHOP_API_RATE_LIMIT = "20/10s" means bursts of 20 and
2 requests a second after that. One Lua script makes check-and-take atomic across processes, with
Redis's own clock, so two web processes never disagree about a bucket.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings

from . import state

BUCKET = """
local cap, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 1000)
return {allowed, tostring(tokens)}
"""


@dataclass(frozen=True)
class Limit:
    capacity: int
    window: float  # seconds to refill a full bucket

    @property
    def per_ms(self):
        return self.capacity / (self.window * 1000)

    def policy(self):
        return f"{self.capacity};w={self.window:g}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: float  # seconds until one request is allowed again (0 if allowed)
    reset: float  # seconds until the bucket is full again

    def headers(self, limit):
        headers = {
            "RateLimit-Limit": str(limit.capacity),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(max(0, round(self.reset))),
            "RateLimit-Policy": limit.policy(),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, round(self.retry_after + 0.5)))
        return headers


def parse(text):
    """'20/10s' -> Limit(20, 10.0). Bad settings fail loudly at start, not per request."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*", text or "")
    if not match or int(match[1]) < 1 or float(match[2]) <= 0:
        raise ValueError(f"SHOP_API_RATE_LIMIT must look like '20/10s', not {text!r}")
    return Limit(int(match[1]), float(match[2]))


def current():
    return parse(getattr(settings, "SHOP_API_RATE_LIMIT", "20/10s"))


SHA = hashlib.sha1(BUCKET.encode()).hexdigest()


def queue_take(pipe, client_id, limit):
    """Add 'take a token for client_id' to a Redis pipeline (one round trip with other reads).

    By its hash alone: redis-py's Script object asks Redis whether it knows the script before
    every pipeline (a second round trip, on the event loop, for each of Shop's calls). Redis
    answers NOSCRIPT only the first time, or after it restarted: `load()`, then send again."""
    pipe.evalsha(SHA, 1, state.key(f"bucket:{client_id}"), limit.capacity, limit.per_ms)


def load():
    state.client().script_load(BUCKET)


def decide(result, limit):
    allowed, tokens = int(result[0]), float(result[1])
    missing = max(0.0, 1 - tokens)
    return Decision(
        bool(allowed),
        int(tokens),
        missing / limit.per_ms / 1000,
        (limit.capacity - tokens) / limit.per_ms / 1000,
    )
