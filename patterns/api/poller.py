"""The poller: a client that asks Shop "any new orders since X?" every N story-seconds, through
the real API — and counts honestly how often the answer was "nothing new".

It is the baseline the webhooks and streaming pages compare against: every new order costs the
poller up to one interval of delay, and every empty answer is a request made for nothing. State
and counters live in Redis, per world; a Celery beat tick every second polls, in each world whose
poller runs, when one is due — so a room's poller asks Shop as that room (its mode, its buckets).
"""

import asyncio
import time
from datetime import datetime
from urllib.parse import urlencode

from django.utils import timezone

from patterns.ledger.roomctx import in_room, world
from patterns.site import storytime

from . import client, state

RUNNING = state.shared_key("pollers")  # the worlds whose poller runs: what the beat tick visits
MIN_REAL_SECONDS, MAX_REAL_SECONDS = 1.0, 60.0
COUNTERS = ("requests", "found", "empty", "failed", "orders", "wait_ms")


class BadInterval(ValueError):
    pass


def bounds():
    """The interval's allowed range in story seconds (1 to 60 real seconds)."""
    return storytime.to_story(MIN_REAL_SECONDS), storytime.to_story(MAX_REAL_SECONDS)


def start(every):
    low, high = bounds()
    if not low <= every <= high:
        raise BadInterval(
            f"every must be between {low:g} and {high:g} story-seconds "
            f"({storytime.human(low)} to {storytime.human(high)} in the story: 1 to 60 s real)"
        )
    now = timezone.now()
    redis = state.client()
    redis.delete(key())
    redis.hset(
        key(),
        mapping={
            "running": 1,
            "every": every,
            "since": now.isoformat(),
            "after": 0,
            "last_at": 0,
            **{name: 0 for name in COUNTERS},
        },
    )
    redis.sadd(RUNNING, world())
    return snapshot()


def stop():
    if state.client().exists(key()):
        state.client().hset(key(), "running", 0)
    state.client().srem(RUNNING, world())
    return snapshot()


def forget():
    """The poller off, its counters gone (a Reset)."""
    state.client().delete(key())
    state.client().srem(RUNNING, world())


def key():
    """The poller's hash in the world at hand."""
    return state.key("poller")


def snapshot():
    raw = state.client().hgetall(key())
    every = float(raw.get("every", storytime.to_story(2)))
    counts = {name: int(float(raw.get(name, 0))) for name in COUNTERS}
    wait = counts.pop("wait_ms") / counts["orders"] if counts["orders"] else None
    return {
        "running": raw.get("running") == "1",
        "every": every,
        "every_text": storytime.describe(every),
        "since": raw.get("since"),
        **counts,
        "average_wait_ms": round(wait, 1) if wait is not None else None,
        "average_wait_text": storytime.describe(storytime.to_story(wait / 1000))
        if wait is not None
        else None,
        "pushes_instead": counts[
            "orders"
        ],  # a webhook would have called once per new order, on time
    }


def _due(raw, now):
    if raw.get("running") != "1":
        return False
    return now - float(raw.get("last_at", 0)) >= storytime.to_real(float(raw["every"]))


def tick():
    """Poll once in every world whose poll is due (beat calls this every second). Returns the
    worlds that polled."""
    polled = []
    for code in sorted(state.client().smembers(RUNNING)):
        with in_room(code):  # the poll's request, its ledger rows and its counters: that world's
            if tick_here():
                polled.append(code)
    return polled


def tick_here():
    """Poll once in the world at hand if a poll is due. True if it polled."""
    redis, now, lock = state.client(), time.time(), state.key("poller:lock")
    if not _due(redis.hgetall(key()), now) or not redis.set(lock, 1, nx=True, px=10_000):
        return False
    try:
        redis.hset(key(), "last_at", now)
        asyncio.run(poll_once())
    finally:
        redis.delete(lock)
    return True


def _count(outcome, now):
    redis, poller = state.client(), key()
    pipe = redis.pipeline()
    pipe.hincrby(poller, "requests", 1)
    if outcome.status != 200:
        pipe.hincrby(poller, "failed", 1)
        return pipe.execute()
    items = outcome.body.get("items", [])
    pipe.hincrby(poller, "found" if items else "empty", 1)
    if items:
        waited = sum(
            (now - datetime.fromisoformat(o["created_at"])).total_seconds() * 1000 for o in items
        )
        pipe.hincrby(poller, "orders", len(items))
        pipe.hincrbyfloat(poller, "wait_ms", max(0.0, waited))
        pipe.hset(poller, "after", max(o["id"] for o in items))
    return pipe.execute()


async def poll_once():
    """Ask Shop once: GET /api/shop/orders?since=<start>&after=<newest seen>. Returns the Outcome."""
    raw = state.client().hgetall(key())
    query = urlencode(
        {
            "since": raw.get("since") or timezone.now().isoformat(),
            "after": raw.get("after", 0),
            "limit": 200,
        }
    )
    async with client.http_client() as http:
        outcome = await client.send(http, "GET", f"/api/shop/orders?{query}", client_id="poller")
    _count(outcome, timezone.now())
    return outcome
