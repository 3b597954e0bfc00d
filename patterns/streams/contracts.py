"""The contracts of the Streaming style: what each stream carries, and the WebSocket protocol a
viewer speaks at /ws/streams/ (the stream messages are recorded in the ledger; the frames are
checked against their contracts by the tests)."""

from typing import Literal

import pydantic

from patterns.contracts import registry
from patterns.site import resets

from .config import MAX_RATE, MIN_RATE, NICK_MAX, PRINTABLE, TEXT_MAX

Nick = pydantic.constr(strip_whitespace=True, min_length=1, max_length=NICK_MAX, pattern=PRINTABLE)
Text = pydantic.constr(strip_whitespace=True, min_length=1, max_length=TEXT_MAX, pattern=PRINTABLE)


class Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


class TickerPrice(Strict):
    """One price of one symbol from the ticker (a random walk). `seq` counts the ticker's messages."""

    seq: int = pydantic.Field(ge=1)
    type: Literal["price"]
    symbol: str = pydantic.Field(pattern=r"^[A-Z]{1,10}$")
    price: float = pydantic.Field(gt=0)
    change: float = pydantic.Field(description="percent change from this symbol's previous price")


class ChatLine(Strict):
    """A line someone typed in the live chat. Shown as text, never as HTML."""

    seq: int = pydantic.Field(ge=1)
    type: Literal["line"]
    nick: Nick
    text: Text


class MatchEvent(Strict):
    """A moment of the scripted match: kick-off, a chance, a goal, a card, half-time, full-time."""

    seq: int = pydantic.Field(ge=1)
    type: Literal["event"]
    match: str = pydantic.Field(max_length=40)
    minute: int = pydantic.Field(ge=0, le=120)
    event: Literal[
        "kickoff", "chance", "goal", "card", "halftime", "substitution", "fulltime", "stopped"
    ]
    team: str | None = None
    text: str = pydantic.Field(max_length=200)
    score: str = pydantic.Field(pattern=r"^\d+–\d+$")


class MatchComment(Strict):
    """A viewer's comment beside the match."""

    seq: int = pydantic.Field(ge=1)
    type: Literal["comment"]
    nick: Nick
    text: Text


class Control(Strict):
    """Someone started or stopped the ticker or the match (from the page, the API or a terminal)."""

    stream: Literal["ticker", "match"]
    action: Literal["start", "stop"]
    rate: int | None = pydantic.Field(default=None, ge=MIN_RATE, le=MAX_RATE)


class Subscribe(Strict):
    """Viewer → server: follow these streams, each after the last seq this viewer saw (null: new viewer).
    `replay`: "all" replays every missed message; "latest" (the ticker's default) skips to the latest."""

    type: Literal["subscribe"]
    streams: dict[Literal["ticker", "chat", "match"], dict]


class EventsFrame(Strict):
    """Server → viewer: messages of one stream in seq order; `replay` true when read from the database."""

    type: Literal["events"]
    stream: Literal["ticker", "chat", "match"]
    events: list[dict]
    replay: bool


class SkippedFrame(Strict):
    """Server → viewer: the ticker jumped to the latest prices; `count` prices were not shown."""

    type: Literal["skipped"]
    stream: Literal["ticker", "chat", "match"]
    after: int
    resume_at: int
    count: int


def register():
    registry.register(
        "streams.ticker.price",
        TickerPrice,
        address="ws /ws/streams/ → ticker",
        examples=[{"seq": 42, "type": "price", "symbol": "ACME", "price": 121.37, "change": 0.21}],
    )
    registry.register(
        "streams.chat.message",
        ChatLine,
        address="ws /ws/streams/ → chat",
        examples=[{"seq": 7, "type": "line", "nick": "ada", "text": "hello everyone"}],
    )
    registry.register(
        "streams.match.event",
        MatchEvent,
        address="ws /ws/streams/ → match",
        examples=[
            {
                "seq": 3,
                "type": "event",
                "match": "a1b2c3",
                "minute": 23,
                "event": "goal",
                "team": "Rovers",
                "text": "Goal! Okafor heads it in.",
                "score": "1–0",
            }
        ],
    )
    registry.register(
        "streams.match.comment",
        MatchComment,
        address="ws /ws/streams/ → match",
        examples=[{"seq": 4, "type": "comment", "nick": "sam", "text": "what a header"}],
    )
    registry.register(
        "streams.control",
        Control,
        address="POST /api/streams/ticker, /api/streams/match",
        examples=[{"stream": "ticker", "action": "start", "rate": 20}],
    )
    registry.register(
        "streams.subscribe",
        Subscribe,
        direction="receive",
        address="ws /ws/streams/",
        examples=[
            {"type": "subscribe", "streams": {"chat": {"after": 12}, "ticker": {"after": None}}}
        ],
    )
    registry.register(
        "streams.events",
        EventsFrame,
        address="ws /ws/streams/",
        examples=[
            {
                "type": "events",
                "stream": "chat",
                "replay": False,
                "events": [
                    {
                        "seq": 13,
                        "t": 1767225600000.0,
                        "data": {"type": "line", "nick": "ada", "text": "hi"},
                    }
                ],
            }
        ],
    )
    registry.register(
        "streams.skipped",
        SkippedFrame,
        address="ws /ws/streams/",
        examples=[
            {"type": "skipped", "stream": "ticker", "after": 120, "resume_at": 181, "count": 60}
        ],
    )
    resets.register_contract("streams")
