"""The ticker: a random walk of a few prices, and its controls (kept in Redis per world, read by
the producer)."""

import math
import random
import time

from patterns.ledger.roomctx import world
from patterns.site import redisclient

from .config import (
    DEFAULT_RATE,
    KEY_PRODUCER,
    KEY_WORLDS,
    MAX_RATE,
    MIN_RATE,
    SYMBOLS,
    forget_if_idle,
    key,
)


class RandomWalk:
    """Prices that drift like a stock's: each step multiplies by e^N(0, 0.3%)."""

    def __init__(self, seed=None):
        self.prices = dict(SYMBOLS)
        self.order = list(SYMBOLS)
        self.n = 0
        self.random = random.Random(seed)

    def step(self):
        symbol = self.order[self.n % len(self.order)]
        self.n += 1
        before = self.prices[symbol]
        after = round(max(0.01, before * math.exp(self.random.gauss(0, 0.003))), 2)
        self.prices[symbol] = after
        return {
            "type": "price",
            "symbol": symbol,
            "price": after,
            "change": round((after - before) / before * 100, 3),
        }


class Pacer:
    """How many messages are due now, so the average rate is exact (sent in small batches)."""

    def __init__(self):
        self.session, self.started, self.sent = None, 0.0, 0

    def due(self, state, now, cap=MAX_RATE):
        if state.get("running") != "1":
            self.session = None
            return 0
        if state.get("session") != self.session:
            self.session, self.started, self.sent = state.get("session"), now, 0
        target = math.floor((now - self.started) * int(state.get("rate", DEFAULT_RATE))) + 1
        count = max(0, min(cap, target - self.sent))
        self.sent += count
        return count


def client():
    return redisclient.client(decode_responses=True)


def producer_alive(r=None):
    return bool((r or client()).exists(KEY_PRODUCER))


def state(r=None):
    """The ticker of the world at hand."""
    found = (r or client()).hgetall(key("ticker", world()))
    return {
        "running": found.get("running") == "1",
        "rate": int(found.get("rate", DEFAULT_RATE)),
        "sent": int(found.get("sent", 0)),
    }


def control(action, rate=None):
    """Start (at `rate` messages a second) or stop the world's ticker. The producer sees it within
    a tick."""
    r, here = client(), world()
    if action == "start":
        rate = DEFAULT_RATE if rate is None else rate
        if not MIN_RATE <= rate <= MAX_RATE:
            raise ValueError(f"rate must be between {MIN_RATE} and {MAX_RATE}")
        pipe = r.pipeline()  # one transaction: running, then in the producer's rounds
        pipe.hset(
            key("ticker", here),
            mapping={"running": "1", "rate": str(rate), "session": f"{time.time():.6f}"},
        )
        pipe.sadd(KEY_WORLDS, here)
        pipe.execute()
    else:
        r.hset(key("ticker", here), "running", "0")
        forget_if_idle(r, here)
    return state(r)
