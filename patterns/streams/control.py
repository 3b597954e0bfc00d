"""Starting and stopping the ticker and the match (the page, the API and `fire` all come here)."""

from patterns.ledger.errors import ApiError
from patterns.ledger.recorder import record

from . import match, ticker
from .config import MAX_RATE, MIN_RATE
from .publisher import publish


def _record(stream, action, rate, source):
    payload = {"stream": stream, "action": action, **({"rate": rate} if rate is not None else {})}
    record(
        style="streams",
        kind="control",
        hop="sent",
        source=source,
        target=stream,
        payload=payload,
        contract="streams.control",
    )


def _need_producer(r):
    if not ticker.producer_alive(r):
        raise ApiError(
            503,
            "producer_not_running",
            "The streams producer is not running: start the playground with `python manage.py "
            "playground` (or run `python manage.py streams_producer` beside your server).",
        )


def ticker_control(action, rate=None, source="api"):
    if action not in ("start", "stop"):
        raise ApiError(400, "unknown_action", "action must be start or stop", "action")
    if (
        action == "start"
        and rate is not None
        and not (isinstance(rate, int) and MIN_RATE <= rate <= MAX_RATE)
    ):
        raise ApiError(
            400,
            "bad_rate",
            f"rate must be a whole number of messages a second, {MIN_RATE} to {MAX_RATE}",
            "rate",
        )
    r = ticker.client()
    if action == "start":
        _need_producer(r)
    result = ticker.control(action, rate)
    _record("ticker", action, result["rate"] if action == "start" else None, source)
    return {**result, "producer": True}


def match_control(action, source="api"):
    if action not in ("start", "stop"):
        raise ApiError(400, "unknown_action", "action must be start or stop", "action")
    r = ticker.client()
    if action == "start":
        _need_producer(r)
    before = match.describe(r)
    result = match.control(r, action)
    _record("match", action, None, source)
    if action == "stop" and before["running"]:
        played = before["events_played"]
        publish(
            "match",
            [
                {
                    "type": "event",
                    "match": before["id"],
                    "minute": match.SCRIPT[max(0, played - 1)][0],
                    "event": "stopped",
                    "team": None,
                    "text": "The match was stopped from the controls.",
                    "score": before["score"],
                }
            ],
        )
    return result
