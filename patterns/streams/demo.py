"""The streaming page's demo state and its Reset, one world at a time: the world's ticker stopped at its default rate, the match
stopped, every client's chat bucket full again.

Stopping goes through the same controls as the page's buttons, so viewers see it happen (the match
says it was stopped) and the ledger has the control messages. Chat lines, comments and ticks
already sent stay: a stream's history is what a late viewer replays.
"""

from patterns.ledger.roomctx import world
from patterns.site import resets

from . import control, match, ticker
from .config import DEFAULT_RATE, key


def _ticker():
    state = ticker.state()
    if state["running"]:
        return f"running at {state['rate']}/s"
    return "stopped" if state["rate"] == DEFAULT_RATE else f"stopped, rate {state['rate']}/s"


def _stop_ticker():
    if ticker.state()["running"]:
        control.ticker_control("stop", source="reset")
    ticker.client().hset(key("ticker", world()), "rate", DEFAULT_RATE)


def _match():
    state = match.describe(ticker.client())
    return (
        f"running, {state['events_played']} of {state['events_total']} events played"
        if state["running"]
        else "stopped"
    )


def _buckets():
    """The world's chat buckets (patterns.streams.ratelimit: one per client that posted)."""
    return list(ticker.client().scan_iter(match=key("rate:*", world()), count=500))


def _fill_buckets():
    if keys := _buckets():
        ticker.client().delete(*keys)


PIECES = (
    resets.Piece("ticker", _ticker, "stopped", _stop_ticker),
    resets.Piece("match", _match, "stopped", lambda: control.match_control("stop", source="reset")),
    resets.Piece("clients_with_a_used_chat_bucket", lambda: len(_buckets()), 0, _fill_buckets),
)


def reset(room=None):
    """Put the streaming demo back to its defaults and record it (see patterns.site.resets)."""
    return resets.reset("streams", room, PIECES, target="producer")
