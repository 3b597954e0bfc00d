"""When to try again, in story time: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.

At PLAYGROUND_TIME_SCALE (1440 by default) the whole ladder, about 27 story hours, takes about a
minute, so a class can watch it end. Retries are due times in the database (`next_attempt_at`),
picked up by the sweeper, never hour-long Celery countdowns.
"""

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from patterns.site import storytime

LADDER = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]  # story seconds
ATTEMPTS = len(LADDER)
JITTER = 0.1  # ±10%: a thousand failed deliveries do not all come back in the same instant
TIMEOUT_STORY = 15
MIN_TIMEOUT = 2.0  # real seconds: story time compresses the wait, not the network
MAX_RETRY_AFTER = 3600.0


def timeout():
    """Real seconds to wait for an answer: 15 s in story time, but at least MIN_TIMEOUT."""
    return min(float(TIMEOUT_STORY), max(MIN_TIMEOUT, storytime.to_real(TIMEOUT_STORY)))


def story_delay_after(attempt):
    """Story seconds to wait after failed attempt number `attempt` (1-based); None: no more."""
    if attempt >= ATTEMPTS:
        return None
    base = LADDER[attempt]
    return base * (1 + random.uniform(-JITTER, JITTER)) if base else 0.0


def retry_after_seconds(value, now=None):
    """Real seconds from a Retry-After header (seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return min(max(0.0, (when - now).total_seconds()), MAX_RETRY_AFTER)


def describe_ladder():
    return [storytime.describe(s) if s else "immediately" for s in LADDER]
