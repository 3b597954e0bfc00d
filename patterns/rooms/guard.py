"""The room guard: every trigger in a room goes through here, whichever style it belongs to.

A request names its room with `?room=CODE`, a JSON body's `"room"`, or the `X-Room` header (the
pages' fetches add the header). Then:

- unknown room → 404 JSON, nothing fired;
- a request that changes something (POST/PUT/PATCH/DELETE) needs the room's control key in
  `X-Room-Key`, unless the instructor lets students fire → otherwise 403 JSON, nothing fired;
- the request runs inside the room (roomctx), so every ledger row it causes — here, in Celery,
  in a receiver — carries the room.

The middleware applies it to every /api/ endpoint (every style, present and future). A view
outside /api/ that fires (a form post, an upload page) adopts it with `@room_guarded`.
"""

import functools

from django.http import JsonResponse
from django.utils import timezone

from patterns.ledger.errors import ApiError
from patterns.ledger.roomctx import current_room
from patterns.site import bodies

from .models import Room, find, normalise

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# The rooms API checks the key itself; checking a payload against a contract fires nothing.
EXEMPT_PREFIXES = ("/api/rooms", "/api/contracts/check")


class RoomRefused(Exception):
    def __init__(self, status, error, detail, field=None):
        super().__init__(detail)
        self.status, self.error, self.detail, self.field = status, error, detail, field

    def response(self):
        body = {"error": self.error, "detail": self.detail}
        if self.field:
            body["field"] = self.field
        return JsonResponse(body, status=self.status)


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
    room = find(code)
    if room is None:
        raise RoomRefused(404, "unknown_room", f"there is no room {code!r}; check the code", "room")
    if request.method in UNSAFE and not room.students_may_fire:
        if not room.key_matches(request.headers.get("X-Room-Key", "")):
            raise RoomRefused(
                403,
                "room_key_required",
                f"only the instructor of room {code} may fire events right now "
                "(send the room's control key in X-Room-Key, or ask the instructor "
                "to let students fire)",
                "X-Room-Key",
            )
    if request.method in UNSAFE:
        Room.objects.filter(pk=room.pk).update(last_used_at=timezone.now())
    return room


def guarded(view, request, *args, **kwargs):
    code = room_of(request)
    if not code:
        # No room named: the shared demo, or a hop of a room's exchange arriving over HTTP (a
        # worker calling Shop's API, a webhook reaching its receiver): record() inherits the
        # room from the exchange's correlation id.
        return view(request, *args, **kwargs)
    try:
        check(request, code)
    except RoomRefused as refused:
        return refused.response()
    token = current_room.set(code)
    try:
        return view(request, *args, **kwargs)
    finally:
        current_room.reset(token)


def room_guarded(view):
    """Decorator for a view outside /api/ that fires events: the same guard as the API."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return guarded(view, request, *args, **kwargs)

    return wrapper


class RoomGuardMiddleware:
    """Applies the guard to every /api/ request (except the rooms API's own endpoints)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        return guarded(lambda r: self.get_response(r), request)
