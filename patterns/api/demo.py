"""The request/response page's demo state and its Reset, one world at a time (state.key is the
world's): Shop healthy again, every client's
rate-limit bucket full again, the poller off (its counters gone, its interval the default).

Orders placed stay (they are Shop's data), and so do idempotency keys: each one remembers an order
that exists, and forgetting it would let a retry place that order twice. Shop's rate limit itself
is a setting (SHOP_API_RATE_LIMIT), not a button, so there is nothing of it to put back.
"""

from patterns.site import resets, storytime

from . import poller, state, switches


def _buckets():
    return list(state.client().scan_iter(match=state.key("bucket:*"), count=500))


def _clear_buckets():
    if keys := _buckets():
        state.client().delete(*keys)


def _poller():
    raw = state.client().hgetall(poller.key())
    if not raw:
        return "off"
    if raw.get("running") == "1":
        return f"running every {storytime.human(float(raw.get('every', 0)))} (story)"
    return f"stopped after {raw.get('requests', 0)} requests"


PIECES = (
    resets.Piece("shop_mode", switches.mode, "healthy", lambda: switches.set_mode("healthy")),
    resets.Piece("clients_with_a_used_bucket", lambda: len(_buckets()), 0, _clear_buckets),
    resets.Piece("poller", _poller, "off", poller.forget),
)


def reset(room=None):
    """Put the request/response demo back to its defaults and record it (see patterns.site.resets)."""
    return resets.reset("api", room, PIECES, target="shop")
