"""The streams, their limits, and where their shared state lives in Redis."""

from django.conf import settings

STREAMS = ("ticker", "chat", "match")
SYMBOLS = {"ACME": 120.00, "GLOBEX": 54.30, "INITECH": 18.75, "UMBRELLA": 310.10}
MIN_RATE, MAX_RATE, DEFAULT_RATE = 1, 200, 5
NICK_MAX, TEXT_MAX = 24, 280
PRINTABLE = (
    r"^[^\x00-\x08\x0b-\x1f\x7f]*$"  # no control characters (PostgreSQL refuses NUL in JSON)
)
MAX_FRAME_BYTES = 4096  # a viewer's frame larger than this is refused (error frame)
BURST, REFILL_PER_S = 5, 1.0  # chat/comment rate limit per connection (and per client for POSTs)
BACKLOG = 50  # chat lines / match events a new viewer is shown
KEY_TICKER, KEY_MATCH = "streams:ticker", "streams:match"
KEY_PRODUCER = "streams:producer"  # set (with a TTL) while the producer process is running
KEY_VIEWERS = "streams:viewers"


def redis_url():
    return settings.REDIS_URLS["state"]


def pubsub_channel():
    """Where broadcasts go (Redis pub/sub ignores DB numbers: the DB base keeps test runs apart)."""
    return f"playground{settings.REDIS_DB_BASE}:streams"
