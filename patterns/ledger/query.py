"""Reading the ledger: the filters shared by the API, the live feed, the log page and exports."""

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


def messages(filters, after=None):
    """Matching messages in ledger order. Without a `room` filter: the shared demo (no room)."""
    room = filters.get("room", "")
    qs = Message.objects.filter(room=room)
    qs = qs.filter(**{k: v for k, v in filters.items() if k != "room"})
    floor = room_floor(room) if room else 0
    after = max(after or 0, floor) if (after is not None or floor) else None
    return qs.filter(id__gt=after) if after is not None else qs


def last_id(room=None):
    """The largest ledger id (in one room, "" = the shared demo, when `room` is given)."""
    qs = Message.objects.all() if room is None else Message.objects.filter(room=room)
    row = qs.order_by("-id").values_list("id", flat=True).first()
    return row or 0


def matches(row, filters):
    """Does a message dict (as sent by the doorbell) match these filters?"""
    if row["room"] != filters.get("room", ""):
        return False
    return all(row[k] == v for k, v in filters.items() if k != "room")
