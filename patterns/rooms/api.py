"""`/api/rooms`: open a room, read it, reset its log, change its speed, pause and who may fire, and
tell its students which page to follow."""

from django.db import transaction
from ninja import Router, Schema, Status

from patterns.feed import doorbell
from patterns.ledger import query
from patterns.ledger.errors import ApiError, ErrorOut
from patterns.ledger.roomctx import in_room
from patterns.site import resets

from . import follow, guesses, owner
from .guard import UNSAFE
from .models import SPEEDS, Room

router = Router(tags=["rooms"])
KEY_HEADER = {
    "name": "X-Room-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The room's control key (instructor actions; also needed to fire in "
    "a room unless students may fire).",
}


class RoomIn(Schema):
    title: str = ""


class RoomOut(Schema):
    code: str
    title: str
    join_url: str
    qr_url: str
    students_may_fire: bool
    speed: float
    paused: bool
    reset_after: int
    messages: int
    page_path: str  # the page the instructor has open ("" before the first)
    page_label: str


class RoomOpened(RoomOut):
    control_key: str


class StepIn(Schema):
    origin: str = ""  # the page that asked (it has stepped already)


class FollowIn(Schema):
    path: str
    label: str = ""


class SettingsIn(Schema):
    students_may_fire: bool | None = None
    speed: float | None = None
    paused: bool | None = None


def _out(request, room):
    return {
        "code": room.code,
        "title": room.title,
        "join_url": request.build_absolute_uri(f"/r/{room.code}"),
        "qr_url": f"/rooms/{room.code}/qr.svg",
        **room.settings(),
        "reset_after": room.reset_after,
        "page_path": room.page_path,
        "page_label": room.page_label,
        "messages": query.visible(room.code).count(),
    }


def _room(request, code):
    room = guesses.find(code, guesses.client_of(request))  # TooManyGuesses: a 429
    if room is None:
        raise ApiError(404, "unknown_room", f"there is no room {code!r}; check the code", "code")
    return room


def _instructor(request, code):
    room = _room(request, code)
    if not room.key_matches(request.headers.get("X-Room-Key", "")):
        raise ApiError(
            403,
            "room_key_required",
            f"only room {room.code}'s instructor may do this: send the control key in X-Room-Key",
            "X-Room-Key",
        )
    return room


def announce(room, **extra):
    """Tell every page in the room (via the room's feed group) its settings, and what changed."""
    event = {"type": "room.event", "room": {"code": room.code, **room.settings(), **extra}}
    transaction.on_commit(lambda: doorbell.send_to_room(room.code, event))


@router.post("", response={201: RoomOpened, 422: ErrorOut}, summary="Open a room")
def open_room(request, body: RoomIn = None):
    """A new room: its code, the join link for students (without the key), and the control key
    (shown once — keep it; the instructor's browser stores it)."""
    title = (body.title if body else "").strip()
    if len(title) > 80:
        raise ApiError(422, "bad_title", "title: at most 80 characters", "title")
    room, key = Room.open(title)
    return Status(201, {**_out(request, room), "control_key": key})


@router.get(
    "/{code}",
    response={200: RoomOut, 404: ErrorOut, 429: ErrorOut},
    summary="A room's settings and size",
)
def get_room(request, code: str):
    return _out(request, _room(request, code))


class RoomReset(RoomOut):
    demo: dict


@router.post(
    "/{code}/reset",
    response={200: RoomReset, 403: ErrorOut, 404: ErrorOut},
    openapi_extra={"parameters": [KEY_HEADER]},
    summary="Reset the room's demo: every switch and endpoint back, the stage cleared",
)
def reset_room(request, code: str):
    """Every style's demo state in this room back to its defaults (what every room shares — the
    worker pool, Shop's schema, the file drop's clock — is left to the owner's Reset), then the
    room's views start after the last message. The ledger stays append-only: each style's Reset is
    itself a recorded message ("demo.reset"), and nothing is deleted."""
    room = _instructor(request, code)
    with in_room(room.code):
        demo = resets.reset_world(room.code)
    room.reset_after = max(
        [query.last_id(room.code)] + [r.get("message_id") or 0 for r in demo.values()]
    )
    room.save(update_fields=["reset_after"])
    announce(room, reset=room.reset_after)
    return {**_out(request, room), "demo": demo}


@router.put(
    "/{code}/settings",
    response={200: RoomOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={"parameters": [KEY_HEADER]},
    summary="Speed, pause, and whether students may fire",
)
def put_settings(request, code: str, body: SettingsIn):
    room = _instructor(request, code)
    if body.speed is not None:
        if not 0.1 <= body.speed <= 1:
            raise ApiError(
                422,
                "bad_speed",
                f"speed must be between 0.1 and 1 (e.g. {', '.join(map(str, SPEEDS))})",
                "speed",
            )
        room.speed = body.speed
    for name in ("students_may_fire", "paused"):
        if getattr(body, name) is not None:
            setattr(room, name, getattr(body, name))
    room.save(update_fields=["speed", "paused", "students_may_fire"])
    announce(room)
    return _out(request, room)


@router.post(
    "/{code}/step",
    response={200: RoomOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    openapi_extra={"parameters": [KEY_HEADER]},
    summary="Single-step every paused stage in the room",
)
def step(request, code: str, body: StepIn = None):
    room = _instructor(request, code)
    if not room.paused:
        raise ApiError(
            409, "not_paused", "pause the room first; a step moves a paused stage one event on"
        )
    announce(room, step=True, origin=(body.origin if body else "")[:32])
    return _out(request, room)


@router.post(
    "/{code}/follow",
    response={200: RoomOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={"parameters": [KEY_HEADER]},
    summary="Send every student page of the room to the instructor's page",
)
def follow_me(request, code: str, body: FollowIn):
    """`path` is a page on this site ("/webhooks/", "/webhooks/?tour=webhooks&step=2"), without
    the room: each student's page adds it. Students who ticked "Stay here" stay."""
    room = _instructor(request, code)
    room.page_path = follow.same_site_path(body.path)
    room.page_label = follow.clean_label(body.label, room.page_path)
    room.save(update_fields=["page_path", "page_label"])
    announce(room, follow={"path": room.page_path, "label": room.page_label})
    return _out(request, room)


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string"},
        "detail": {"type": "string"},
        "field": {"type": "string"},
    },
}


def _refusal(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


GUARD_REFUSALS = {
    "403": _refusal("In a room, without its control key (students may not fire)"),
    "404": _refusal("Not found (e.g. an unknown room)"),
    "429": _refusal("Too many unknown room codes tried from here: room codes are not guessed"),
}


def extend_openapi(schema):
    """Document the room parameters every trigger endpoint accepts, and the guard's refusals on
    every operation that names a room (a read naming an unknown room is refused as a change is)."""
    room_param = {
        "name": "room",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "Fire inside this room (its code); see /api/rooms.",
    }
    for path, operations in schema.get("paths", {}).items():
        if path.startswith("/api/rooms"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            unsafe = method.upper() in UNSAFE
            if unsafe:
                names = {p.get("name") for p in operation.get("parameters", [])}
                extra = [p for p in (room_param, KEY_HEADER) if p["name"] not in names]
                operation["parameters"] = [*operation.get("parameters", []), *extra]
            if not any(p.get("name") == "room" for p in operation.get("parameters", [])):
                continue
            responses = operation.setdefault("responses", {})
            for status, refusal in GUARD_REFUSALS.items():
                if unsafe or status != "403":
                    responses.setdefault(status, refusal)


owner_router = Router(tags=["rooms"])


class OwnerOut(Schema):
    served: bool
    owner: bool


@owner_router.get(
    "/owner", response=OwnerOut, summary="Is this browser the owner of the shared demo?"
)
def get_owner(request):
    """`served`: the playground is served to others, so the shared demo and what every room shares
    change only with the owner's key (X-Owner-Key). `owner`: this request carries that key (always
    true when the playground is not served to others: a laptop used alone needs no key)."""
    return {"served": owner.served(), "owner": owner.is_owner(request)}
