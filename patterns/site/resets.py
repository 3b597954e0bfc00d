"""A world's Reset, as every style records it.

Each style's `demo.reset(room)` knows its own demo state: the switches, modes, endpoints and
pollers a button or an API call can change. It lists them as `Piece`s (how to read one, its
default, how to put it back) and hands them to `reset()` here, which puts back whatever is not at
its default and records one "demo.reset" message for the style: what every piece is now and what
the changed ones were before. So a lesson reads any style's Reset back the same way
(GET /api/messages?kind=demo.reset). The ledger keeps its history: a Reset adds a row, deletes none.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pydantic
from pydantic import ConfigDict, Field

from patterns.contracts import registry
from patterns.ledger.recorder import record
from patterns.ledger.roomctx import current_room, in_room

KIND = "demo.reset"
Value = bool | int | float | str | None
log = logging.getLogger(__name__)


class DemoReset(pydantic.BaseModel):
    """A world's Reset put this style's demo state back to its defaults: every piece as it is now,
    and the pieces that had been changed as they were before."""

    model_config = ConfigDict(extra="forbid")
    world: str = Field(max_length=16, description='The room\'s code; "" for the shared demo.')
    now: dict[str, Value] = Field(
        description="Every piece of demo state the Reset looks after, as it is now."
    )
    was: dict[str, Value] = Field(
        description="The pieces that were not at their default, as they were before."
    )
    note: str = Field("", description="What the Reset leaves alone, and why.")


@dataclass(frozen=True)
class Piece:
    """One piece of a style's demo state: its name in the message, how to read it (a short value a
    learner can read), its default, and how to put it back. A `shared` piece is one for the whole
    server (the worker pool, Shop's schema): only the shared demo's Reset (the owner's) puts it
    back; a room's Reset reports it and leaves it alone."""

    name: str
    read: Callable[[], Value]
    default: Value
    put_back: Callable[[], object]
    shared: bool = False


def contract_name(style):
    return f"{style}.{KIND}"


def register_contract(style, address="the world's Reset"):
    """Register `style`'s reset contract (a style calls this with its other contracts)."""
    example = {"world": "", "now": {"mode": "healthy"}, "was": {"mode": "down"}, "note": ""}
    return registry.register(
        contract_name(style),
        DemoReset,
        channel="http",
        address=address,
        direction="receive",
        examples=[example],
    )


def world_of(room):
    """A room's code from a Room, a code, or nothing (then the world of the request or job at hand,
    else the shared demo)."""
    code = getattr(room, "code", room)
    if code is None:
        code = current_room.get()
    return code or ""


def reset(style, room, pieces, *, target, note=""):
    """Put back every piece that is not at its default, then record what was done. Returns the
    message's payload and id. A piece that could not be put back is named in the message's error."""
    world = world_of(room)
    with in_room(
        world
    ):  # what putting a piece back records (a mode change …) lands in the same world
        was, failed = {}, {}
        mine = [piece for piece in pieces if not (world and piece.shared)]
        for piece in mine:
            before = piece.read()
            if before != piece.default:
                was[piece.name] = before
                failed.update(_put_back(style, piece))
        now = {piece.name: piece.read() for piece in pieces}
        stuck = _stuck(mine, now, failed)
        payload = {"world": world, "now": now, "was": was, "note": note}
        message = record(
            style=style,
            kind=KIND,
            hop="reset",
            source="reset",
            target=target,
            room=world,
            payload=payload,
            contract=contract_name(style),
            status="error" if stuck else "ok",
            error=f"not back to the default: {', '.join(stuck)}" if stuck else "",
        )
    return {**payload, "message_id": message.id, "error": message.error or None}


def _stuck(pieces, now, failed):
    """The pieces still not at their default, each with why putting it back failed (if it did)."""
    return [
        f"{p.name} ({failed[p.name]})" if p.name in failed else p.name
        for p in pieces
        if now[p.name] != p.default
    ]


def _put_back(style, piece):
    """{} when the piece was put back; else {its name: why not}. One piece that fails (a busy
    database, a broker away) leaves the others to be put back, and the message says which failed."""
    try:
        piece.put_back()
    except Exception as exc:  # any failure: recorded in the message, and logged
        log.exception("%s reset: could not put %s back", style, piece.name)
        return {piece.name: str(exc)[:200] or type(exc).__name__}
    return {}


def reset_world(room):
    """One world's Reset: every app that declares a `reset` puts its demo state in that world back
    (patterns.site.styles). Returns {style key (or app label): what its Reset recorded}. One app that fails does
    not stop the others; its entry carries the error."""
    from . import styles  # the app registry is ready by the time anyone resets

    world = world_of(room)
    done = {}
    for config in styles.declared():
        if (reset_app := config.part("reset")) is None:
            continue
        name = config.card.key if hasattr(config, "card") else config.label
        try:
            done[name] = reset_app(world)
        except Exception as exc:  # reported, and the other apps are still put back
            log.exception("%s: the Reset of world %r failed", name, world)
            done[name] = {"error": str(exc)[:200] or type(exc).__name__}
    return done
