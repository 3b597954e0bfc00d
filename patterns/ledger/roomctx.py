"""Which room a message belongs to, without any style having to know.

A room (an instructor's classroom) is a tag on every ledger row. It travels like this:

- the room guard (patterns.rooms.guard) sets `current_room` for the request that fires;
- `recorder.record()` reads it when the caller does not pass `room`;
- Celery carries it: `before_task_publish` copies it into the task's headers, `task_prerun` sets
  it again in the worker, `task_postrun` clears it (so a task published while handling a room's
  request records into that room, and so on down the chain);
- work stored for later and picked up without a context (a beat sweeper retrying a webhook, a
  receiver called over HTTP) inherits the room of the exchange it belongs to: `record()` looks up
  the room of the first row with the same correlation id.

`current_room` is None when nobody said anything (inherit), "" for the shared demo (no room).
"""

import contextlib
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

current_room: ContextVar = ContextVar("playground_room", default=None)
HEADER = "playground_room"
GROUP_PREFIX = "ledger.room."


def group_for(room):
    """The channel-layer group of a room's pages ("ledger" for the shared demo)."""
    return f"{GROUP_PREFIX}{room}" if room else "ledger"


@contextlib.contextmanager
def in_room(room):
    """Record everything inside this block into `room` ("" = the shared demo)."""
    token = current_room.set(room)
    try:
        yield
    finally:
        current_room.reset(token)


@before_task_publish.connect
def _carry_room(headers=None, **kwargs):
    room = current_room.get()
    if room is not None and headers is not None:
        headers[HEADER] = room


@task_prerun.connect
def _enter_room(task=None, **kwargs):
    room = getattr(task.request, HEADER, None) if task is not None else None
    task.request._playground_room_token = current_room.set(room if isinstance(room, str) else None)


@task_postrun.connect
def _leave_room(task=None, **kwargs):
    token = getattr(task.request, "_playground_room_token", None) if task is not None else None
    if token is not None:
        with contextlib.suppress(ValueError):
            current_room.reset(token)


# --- Worlds -----------------------------------------------------------------------------------
# A world is a room's code, or "" for the shared demo. Every piece of demo state a button can
# change is kept per world (a Redis key or a row carrying the world), read and changed through
# `world()`, so a style's code never has to ask which room it is in.

WORLD_HEADER = "X-Playground-World"
_WORLD_SALT = "playground.world"
# A signed world travels only between the playground's own processes (a worker calling Shop's
# API, a delivery reaching the receiver); it is never recorded, and it expires, so one seen by
# accident cannot be replayed later.
WORLD_MAX_AGE = 600

key_held: ContextVar = ContextVar("playground_key_held", default=False)


def world():
    """The world of the request or job at hand: a room's code, or "" for the shared demo."""
    return current_room.get() or ""


def holds_key():
    """Did the request at hand prove its world's key (a room's control key; the owner's key for
    the shared demo, or nobody needs one when the playground is not served to others)? A secret is
    shown only when this is true."""
    return key_held.get()


def world_header(room=None):
    """Headers that carry a world on a call from one of the playground's processes to another."""
    from django.core import signing

    code = world() if room is None else (room or "")
    return {WORLD_HEADER: signing.TimestampSigner(salt=_WORLD_SALT).sign(code or "-")}


def world_from_header(value):
    """The world a signed header carries, or None when it is absent, forged or expired."""
    from django.core import signing

    if not value:
        return None
    try:
        code = signing.TimestampSigner(salt=_WORLD_SALT).unsign(value, max_age=WORLD_MAX_AGE)
    except signing.BadSignature:
        return None
    return "" if code == "-" else code
