"""Reading the ledger: the filters shared by the API, the live feed, the log page and exports."""

from . import roomctx
from .models import Message

FILTERS = ("style", "kind", "status", "correlation_id", "room")


class BadFilter(ValueError):
    def __init__(self, field, detail):
        super().__init__(detail)
        self.field = field
        self.detail = detail


def clean_filters(params, allowed=FILTERS):
    """Keep the non-empty filters; refuse unknown ones and bad values (BadFilter)."""
    filters = {}
    for name, value in params.items():
        if name not in allowed:
            raise BadFilter(name, f"unknown filter {name!r}; known filters: {', '.join(allowed)}")
        if value in (None, ""):
            continue
        if not isinstance(value, str) or len(value) > 64:
            raise BadFilter(name, f"{name} must be text of at most 64 characters")
        if "\x00" in value:  # PostgreSQL refuses NUL in text: a clear 400, not its DataError
            raise BadFilter(name, f"{name} must not contain a NUL character")
        if name == "status" and value not in Message.Status.values:
            raise BadFilter(name, f"status must be one of {', '.join(Message.Status.values)}")
        filters[name] = value
    return filters


def parse_int(name, value, minimum=0, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadFilter(name, f"{name} must be a whole number, not {value!r}") from None
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise BadFilter(name, f"{name} must be {bound}")
    return number


# Where a room's view of the ledger starts: the rooms app sets this to "the id of the room's last
# reset" (the ledger itself stays append-only; a reset only moves the room's floor).
def room_floor(room):
    return 0


def set_room_floor(provider):
    global room_floor
    room_floor = provider


def _world(world):
    return roomctx.world() if world is None else world


def visible(world=None):
    """Every ledger row a world may read: a room's own rows since its last reset, or the shared
    demo's (room ""); `world` defaults to the world at hand (the guard's, for a request). Every
    read of the ledger that answers someone starts here, so a row never reaches another world."""
    world = _world(world)
    rows = Message.objects.filter(room=world)
    floor = room_floor(world) if world else 0
    return rows.filter(id__gt=floor) if floor else rows


def messages(filters, after=None, world=None):
    """Matching messages of the world in ledger order. A `room` filter naming another world than
    the one at hand (a page that named an unknown room) matches nothing."""
    world = _world(world)
    rows = visible(world)
    if filters.get("room", "").strip().upper() not in ("", world):
        return rows.none()
    rows = rows.filter(**{k: v for k, v in filters.items() if k != "room"})
    return rows.filter(id__gt=after) if after is not None else rows


def last_id(world=None):
    """The largest ledger id of a world (the world at hand by default), resets aside."""
    row = (
        Message.objects.filter(room=_world(world))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return row or 0


def matches(row, filters):
    """Does a message dict (as sent by the doorbell) match these filters? `room` is the world."""
    if row["room"] != filters.get("room", ""):
        return False
    return all(row[k] == v for k, v in filters.items() if k != "room")
