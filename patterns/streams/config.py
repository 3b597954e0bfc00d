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
KEY_PRODUCER = "streams:producer"  # set (with a TTL) while the producer process is running
KEY_WORLDS = (
    "streams:worlds"  # the worlds whose ticker or match may be running: the producer's rounds
)


def key(name, world):
    """A world's Redis key: the ticker, the match, a client's chat bucket. The shared demo keeps the
    plain names (streams:ticker …); a room's live under streams:room:<code>:, which no plain name
    starts with."""
    return f"streams:room:{world}:{name}" if world else f"streams:{name}"


KEY_TICKER, KEY_MATCH, KEY_VIEWERS = (key(name, "") for name in ("ticker", "match", "viewers"))
# A world leaves the producer's rounds only when neither its ticker nor its match runs, checked
# and done in one step: a start in between (which sets "running", then adds the world) is never lost.
FORGET_IF_IDLE = """
if redis.call('HGET', KEYS[1], 'running') ~= '1' and redis.call('HGET', KEYS[2], 'running') ~= '1'
then return redis.call('SREM', KEYS[3], ARGV[1]) end
return 0
"""


def forget_if_idle(r, world):
    """Take `world` out of the producer's rounds if nothing of it runs (sync or asyncio client)."""
    return r.eval(FORGET_IF_IDLE, 3, key("ticker", world), key("match", world), KEY_WORLDS, world)


def redis_url():
    return settings.REDIS_URLS["state"]


def pubsub_channel():
    """Where broadcasts go (Redis pub/sub ignores DB numbers: the DB base keeps test runs apart)."""
    return f"playground{settings.REDIS_DB_BASE}:streams"
