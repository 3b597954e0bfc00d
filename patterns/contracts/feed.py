"""The live feed's protocol (/ws/feed/, see patterns/feed/consumers.py) as contracts: every page
of the playground speaks it, so it is documented like any other stream (AsyncAPI) and its real
frames are checked against these models in the tests."""

from typing import Any, Literal

import pydantic

from . import registry

ADDRESS = "/ws/feed/"


class Resume(pydantic.BaseModel):
    """Page → server, on every (re)connect: the last ledger id this page has seen (null: a new page)."""

    type: Literal["resume"]
    after: int | None = pydantic.Field(None, ge=0)
    backlog: int = pydantic.Field(0, ge=0, le=500)
    count: bool = False


class Ack(pydantic.BaseModel):
    """Page → server: the page has handled everything up to `cursor` (the server may send more)."""

    type: Literal["ack"]
    cursor: int = pydantic.Field(ge=0)


class Sync(pydantic.BaseModel):
    """Page → server, a heartbeat: catch me up, and answer so I know the connection lives."""

    type: Literal["sync"]


class Messages(pydantic.BaseModel):
    """Server → page: ledger messages in id order, and the cursor to resume from."""

    type: Literal["messages"]
    cursor: int = pydantic.Field(ge=0)
    messages: list[dict[str, Any]]
    total: int | None = None
    reset: bool | None = None


class Pong(pydantic.BaseModel):
    """Server → page: the answer to a heartbeat, with the cursor."""

    type: Literal["pong"]
    cursor: int | None = None


class FeedError(pydantic.BaseModel):
    """Server → page: a frame the server could not accept, in words; the connection stays open."""

    type: Literal["error"]
    error: str
    detail: str


FRAMES = [
    ("feed.resume", Resume, {"type": "resume", "after": 1041, "backlog": 0}, "receive"),
    ("feed.ack", Ack, {"type": "ack", "cursor": 1045}, "receive"),
    ("feed.sync", Sync, {"type": "sync"}, "receive"),
    ("feed.messages", Messages, {"type": "messages", "cursor": 1045, "messages": []}, "send"),
    ("feed.pong", Pong, {"type": "pong", "cursor": 1045}, "send"),
    (
        "feed.error",
        FeedError,
        {"type": "error", "error": "bad_frame", "detail": "frames must be JSON objects"},
        "send",
    ),
]


def register():
    for name, model, example, direction in FRAMES:
        registry.register(
            name, model, examples=[example], channel="stream", address=ADDRESS, direction=direction
        )
