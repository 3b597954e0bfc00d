"""The guard: which world a request acts in, and whether it may change it. Every request to the
playground passes here (the middleware below), whichever style it belongs to.

A world is a room's, or the shared demo's (no room). A request names its room with `?room=CODE`,
a JSON body's `"room"`, or the `X-Room` header (the pages' fetches add the header). A call between
the playground's own processes (a worker calling Shop's API, a delivery reaching Shop's receiver)
carries its world signed instead (roomctx.world_header) and is trusted. Then, for /api/:

- unknown room → 404 JSON, nothing fired (and, after repeated misses, 429: codes are not guessed);
- a change (POST/PUT/PATCH/DELETE) in a room needs the room's control key in `X-Room-Key`, unless
  the instructor lets students fire → otherwise 403 JSON, nothing changed;
- a change to the shared demo, or to what every room shares (an app's `shared_controls`: the
  worker pool, Shop's schema), needs the owner's key when the playground is served to others
  (patterns.rooms.owner) → otherwise 403 JSON;
- the request runs inside its world (roomctx): every ledger row it causes — here, in Celery, in a
  receiver — carries the world, and every piece of demo state it reads or changes is that world's.
  A request that names no room is in the shared demo, never in a room it could not have fired in.

Pages outside /api/ run in the world they name without being refused; a view outside /api/ that
fires (a form post, an upload page) adopts the refusals with `@room_guarded`.
"""

import functools

from django.utils import timezone

from patterns.ledger.errors import ApiError
from patterns.ledger.roomctx import WORLD_HEADER, current_room, key_held, world_from_header
from patterns.site import bodies

from . import guesses, owner
from .models import Room, normalise

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# The rooms API checks the key itself; checking a payload against a contract fires nothing.
EXEMPT_PREFIXES = ("/api/rooms", "/api/contracts/check", "/static/")


class RoomRefused(ApiError):
    """What the guard refuses, in the API's error shape."""


def room_of(request):
    """The room a request names (query, header or JSON body), "" for none."""
    code = request.GET.get("room") or request.headers.get("X-Room") or ""
    if not code and request.method in UNSAFE and bodies.is_json(request):
        try:  # read once, for the view too (bodies.py); one it refuses names no room
            body = bodies.read_json(request)
        except ApiError:  # the view answers the refusal (and Shop's API records it)
            body = None
        if isinstance(body, dict) and isinstance(body.get("room"), str):
            code = body["room"]
    return normalise(code)


def check(request, code):
    """The Room a request may act in, or RoomRefused."""
    return decide(request, code)[0]


def decide(request, code, refuse=True):
    """(the Room or None for the shared demo, whether the request holds its world's key), or
    RoomRefused when `refuse` and the request may not do what it asks."""
    # A change, or a read that fires a recorded exchange (it puts messages on everyone's stage).
    unsafe = request.method in UNSAFE or owner.is_firing_read(request.path)
    if not code:
        held = owner.is_owner(request)
        if refuse and unsafe and not held:
            raise RoomRefused(
                403,
                "owner_key_required",
                "this playground is served to others: the shared demo changes only with the "
                "owner's key (X-Owner-Key, from the owner link). Join a room to try things.",
                "X-Owner-Key",
            )
        return None, held
    room = guesses.find(code, guesses.client_of(request))  # TooManyGuesses: a 429
    if room is None:
        raise RoomRefused(404, "unknown_room", f"there is no room {code!r}; check the code", "room")
    held = room.key_matches(request.headers.get("X-Room-Key", ""))
    if refuse and unsafe and not held and not room.students_may_fire:
        raise RoomRefused(
            403,
            "room_key_required",
            f"only the instructor of room {code} may fire events right now "
            "(send the room's control key in X-Room-Key, or ask the instructor "
            "to let students fire)",
            "X-Room-Key",
        )
    if refuse and unsafe and owner.is_shared_control(request.path) and not owner.is_owner(request):
        raise RoomRefused(
            403,
            "owner_key_required",
            "this is shared by every room on this server: only the owner may change it "
            "(X-Owner-Key, from the owner link)",
            "X-Owner-Key",
        )
    if refuse and unsafe:
        Room.objects.filter(pk=room.pk).update(last_used_at=timezone.now())
    return room, held


def guarded(view, request, *args, refuse=True, **kwargs):
    signed = world_from_header(request.headers.get(WORLD_HEADER))
    if signed is not None:  # one of our own processes, acting in the world it was started in
        world, held = signed, True
    else:
        code = room_of(request)
        try:
            room, held = decide(request, code, refuse)
        except guesses.TooManyGuesses as refused:
            return refused.response() if refuse else refused.page()
        except RoomRefused as refused:
            if refuse:
                return refused.response()
            room, held = None, False  # a page naming an unknown room says so itself
        world = room.code if room else ""
    room_token, key_token = current_room.set(world), key_held.set(held)
    try:
        return view(request, *args, **kwargs)
    finally:
        key_held.reset(key_token)
        current_room.reset(room_token)


def room_guarded(view):
    """Decorator for a view outside /api/ that fires events: the same guard as the API."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return guarded(view, request, *args, **kwargs)

    return wrapper


class RoomGuardMiddleware:
    """Puts every request in its world; refuses what may not be done under /api/ (except the rooms
    API, which checks its keys itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        refuse = request.path.startswith("/api/")
        return guarded(lambda r: self.get_response(r), request, refuse=refuse)
