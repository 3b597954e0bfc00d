"""`/api/streams/…`: start and stop the ticker and the match, post chat lines and comments, and
replay any stream after a sequence number (what a viewer does when it reconnects)."""

from typing import Literal

import pydantic
from ninja import Router, Schema, Status

from patterns.ledger.errors import ApiError, ErrorOut
from patterns.ledger.models import new_uid

from . import control, match, ticker
from .config import STREAMS
from .consumers import Post
from .publisher import latest_seqs, publish, read, world_uid
from .ratelimit import LIMIT_TEXT, take_shared

router = Router(tags=["streams"])
MAX_PAGE = 1000


class TickerIn(Schema):
    action: str
    rate: int | None = None


class MatchIn(Schema):
    action: str


class PostIn(Schema):
    nick: str
    text: str
    id: str | None = None


def _client(request):
    return request.headers.get("X-Client-Id", "")[:64] or request.META.get("REMOTE_ADDR", "unknown")


def _post(request, stream, kind, body):
    try:
        clean = Post.model_validate(body.dict())
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0])
        raise ApiError(400, f"bad_{field}", f"{field}: {first['msg']}", field) from None
    wait = take_shared(ticker.client(), _client(request))
    if wait:
        raise ApiError(429, "rate_limited", f"Slow down: {LIMIT_TEXT}. Try again in {wait:.1f} s.")
    uid = f"{stream}-{clean.id}" if clean.id else new_uid()
    frame = publish(stream, [{"type": kind, "nick": clean.nick, "text": clean.text}], uids=[uid])[0]
    return Status(201, {"stream": stream, **frame, "uid": world_uid(uid)})  # its ledger row's uid


@router.post("/ticker", response={200: dict, 400: ErrorOut, 422: ErrorOut, 503: ErrorOut})
def ticker_control(request, body: TickerIn):
    """Start the ticker at `rate` messages a second (1–200; default 5) or stop it. The producer
    (started by `manage.py playground`) emits the prices; 503 when it is not running."""
    return control.ticker_control(body.action, body.rate)


@router.get("/ticker")
def ticker_state(request):
    """The ticker's state and the latest price of each symbol (what a polling client asks for)."""
    latest = {}
    for frame in reversed(read_latest("ticker", 50)):
        latest.setdefault(frame["data"]["symbol"], frame)
    return {
        **ticker.state(),
        "producer": ticker.producer_alive(),
        "latest_seq": latest_seqs()["ticker"],
        "prices": latest,
    }


def read_latest(stream, n):
    last = latest_seqs()[stream]
    return read(stream, max(0, last - n), n)


@router.post("/match", response={200: dict, 400: ErrorOut, 422: ErrorOut, 503: ErrorOut})
def match_control(request, body: MatchIn):
    """Start the scripted match from kick-off (90 minutes in 60 seconds) or stop it."""
    return control.match_control(body.action)


@router.get("/match")
def match_state(request):
    """Whether the match is running, the score and how much of the script has been played."""
    return match.describe(ticker.client())


@router.post("/chat/messages", response={201: dict, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def chat_post(request, body: PostIn):
    """Post a chat line (`nick` ≤ 24, `text` ≤ 280 characters; an `id` makes a resend harmless).
    Everyone connected gets it at once; 429 when this client posts too fast."""
    return _post(request, "chat", "line", body)


@router.post("/match/comments", response={201: dict, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def comment_post(request, body: PostIn):
    """Post a comment beside the match (same limits as the chat)."""
    return _post(request, "match", "comment", body)


@router.get("/{stream}/messages", response={200: dict, 400: ErrorOut, 404: ErrorOut})
def replay(
    request, stream: Literal["ticker", "chat", "match"], after_seq: int = 0, limit: int = 100
):
    """The stream's messages after `after_seq`, oldest first (at most `limit`, 1–1000): how a viewer
    that dropped resumes with no gap and no duplicate."""
    if after_seq < 0:
        raise ApiError(400, "bad_after_seq", "after_seq must be 0 or more", "after_seq")
    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(400, "bad_limit", f"limit must be between 1 and {MAX_PAGE}", "limit")
    events = read(stream, after_seq, limit)
    latest = latest_seqs()[stream]
    return {
        "stream": stream,
        "events": events,
        "latest_seq": latest,
        "more": bool(events) and events[-1]["seq"] < latest,
    }


@router.get("/status")
def status(request):
    """Every stream's latest seq, whether the producer runs, and the ticker's and match's state."""
    r = ticker.client()
    return {
        "latest": latest_seqs(),
        "streams": list(STREAMS),
        "producer": ticker.producer_alive(r),
        "ticker": ticker.state(r),
        "match": match.describe(r),
    }


@router.get("/chat/messages", response={200: dict, 400: ErrorOut}, include_in_schema=False)
def chat_replay(request, after_seq: int = 0, limit: int = 100):
    # /chat/messages also takes POSTs, so its path is matched before /{stream}/messages: same answer.
    return replay(request, "chat", after_seq, limit)
