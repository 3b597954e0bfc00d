"""`manage.py fire streams <kind> [--count N] [--data JSON]`: stream messages from a terminal."""

import uuid

import pydantic

from patterns.site import triggers

from .config import NICK_MAX, PRINTABLE, TEXT_MAX


class PostData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    nick: str = pydantic.Field(
        default="terminal", min_length=1, max_length=NICK_MAX, pattern=PRINTABLE
    )
    text: str = pydantic.Field(
        default="hello from the terminal", min_length=1, max_length=TEXT_MAX, pattern=PRINTABLE
    )


class MatchData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    moment: int = pydantic.Field(
        default=0, ge=0, description="which moment of the script (0: kick-off)"
    )


def _post(stream, kind):
    def fire(data):
        from .publisher import publish

        body = PostData.model_validate(data)
        frame = publish(stream, [{"type": kind, "nick": body.nick, "text": body.text}])[0]
        return {"stream": stream, "seq": frame["seq"]}

    return fire


def _price(data):
    from .publisher import publish
    from .ticker import RandomWalk

    if data:
        raise ValueError("the ticker trigger takes no data (use --count for more prices)")
    frame = publish("ticker", [RandomWalk().step()])[0]
    return {"stream": "ticker", "seq": frame["seq"], **frame["data"]}


def _moment(data):
    from . import match
    from .publisher import publish

    index = min(MatchData.model_validate(data).moment, len(match.SCRIPT) - 1)
    frame = publish("match", [match.payload(f"fired-{uuid.uuid4().hex[:6]}", index)])[0]
    return {"stream": "match", "seq": frame["seq"], "text": frame["data"]["text"]}


def register():
    triggers.register(
        "streams",
        "chat",
        _post("chat", "line"),
        help='a chat line (--data \'{"nick":"t","text":"hi"}\')',
    )
    triggers.register(
        "streams", "comment", _post("match", "comment"), help="a comment beside the match"
    )
    triggers.register(
        "streams", "ticker", _price, help="one ticker price (the producer emits them when started)"
    )
    triggers.register(
        "streams",
        "match",
        _moment,
        help="one moment of the scripted match (--data '{\"moment\":4}')",
    )
