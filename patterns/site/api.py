"""The ledger's endpoints (the message log, one exchange, counts), the health check and the home
page's ping."""

from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from patterns.feed import doorbell
from patterns.ledger import query
from patterns.ledger.errors import ApiError, ErrorOut
from patterns.ledger.roomctx import world

from . import health, resets
from .ping import BrokerDown, PingRequest, send_ping

# The operation ids are those the API has always had (clients generated from it keep working).
router = Router(tags=["ledger"])


class MessageOut(Schema):
    id: int
    uid: str
    correlation_id: str
    room: str
    style: str
    kind: str
    source: str
    target: str
    hop: str
    status: str
    status_code: int | None
    attempt: int
    payload: dict
    headers: dict
    contract: str
    valid: bool | None
    error: str
    duration_ms: float | None
    sent_at: datetime | None
    created_at: datetime
    latency_ms: float | None


class MessagePage(Schema):
    messages: list[MessageOut]
    next_after: int | None = None
    has_more: bool


class Exchange(Schema):
    message: MessageOut
    exchange: list[MessageOut]


class Stats(Schema):
    total: int
    last_id: int
    by_style: dict[str, int]


class PingOut(Schema):
    correlation_id: str
    hops: list[MessageOut]


@router.get(
    "/messages",
    response={200: MessagePage, 400: ErrorOut},
    operation_id="patterns_ledger_api_list_messages",
)
def list_messages(
    request,
    style: str = "",
    kind: str = "",
    status: str = "",
    correlation_id: str = "",
    room: str = "",
    after: str | None = None,
    limit: str | None = None,
):
    """The ledger in ascending id order. Page with `after` (a ledger id) and `limit` (1–1000);
    `next_after` is the cursor for the next page (null when this is the last)."""
    try:
        filters = query.clean_filters(
            {k: v for k, v in request.GET.items() if k not in ("after", "limit")}
        )
        after_id = query.parse_int("after", after) if after is not None else None
        size = query.parse_int("limit", limit, 1, 1000) if limit is not None else 100
    except query.BadFilter as exc:
        raise ApiError(400, "bad_filter", exc.detail, exc.field) from None
    rows = list(query.messages(filters, after_id)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return {"messages": rows, "next_after": rows[-1].id if has_more else None, "has_more": has_more}


@router.get(
    "/messages/{message_id}",
    response={200: Exchange, 404: ErrorOut},
    operation_id="patterns_ledger_api_get_message",
)
def get_message(request, message_id: int):
    """One message and every hop of its exchange (the messages sharing its correlation id). A
    room's message is found only by naming the room (`?room=` or `X-Room`)."""
    message = get_object_or_404(query.visible(), id=message_id)
    return {
        "message": message,
        "exchange": list(query.visible().filter(correlation_id=message.correlation_id)),
    }


@router.get("/stats", response=Stats, operation_id="patterns_ledger_api_stats")
def stats(request):
    """How many messages the ledger holds, in all and per style (in the room named, else in the
    shared demo)."""
    by_style = dict(query.visible().values_list("style").annotate(n=Count("id")).order_by())
    return {"total": sum(by_style.values()), "last_id": query.last_id(), "by_style": by_style}


class Component(Schema):
    name: str
    label: str
    what: str
    up: bool
    detail: str
    since: datetime
    for_seconds: int


class Health(Schema):
    status: str
    checked_at: datetime
    components: list[Component]


@router.get("/health", response=Health, operation_id="patterns_ledger_api_get_health")
def get_health(request):
    """Each part of the playground — databases, Redis, broker, channel layer, workers, beat — up or
    down, and for how long. `status` is "ok" when all are up, else "degraded" (always HTTP 200)."""
    return health.check()


@router.post(
    "/ping",
    response={201: PingOut, 422: ErrorOut, 503: ErrorOut},
    operation_id="patterns_ledger_api_ping",
)
def ping(request, payload: PingRequest = None):
    """Send a ping through the queue and back: browser → web → queue → worker → browser."""
    try:
        return Status(201, send_ping(note=payload.note if payload else ""))
    except BrokerDown:
        raise ApiError(
            503, "queue_unreachable", "the queue (Redis) cannot be reached; nothing was sent"
        ) from None


class DemoResetOut(Schema):
    world: str
    demo: dict


@router.post(
    "/reset",
    response={200: DemoResetOut, 403: ErrorOut, 409: ErrorOut},
    operation_id="patterns_site_api_reset",
    summary="Reset the shared demo: every switch and endpoint back, the stage cleared",
)
def reset_shared_demo(request):
    """Every style's demo state in the shared demo (no room) back to its defaults — with what every
    room shares (the worker pool, Shop's schema, the file drop's clock) — and every shared-demo
    page starts a fresh stage. When the playground is served to others only the owner may. Each
    style's Reset is a recorded message ("demo.reset"); the ledger keeps its history. A room is
    reset with POST /api/rooms/{code}/reset (its key)."""
    if world():
        raise ApiError(
            409,
            "names_a_room",
            f"this resets the shared demo; reset room {world()} with POST /api/rooms/{world()}/reset",
            "room",
        )
    demo = resets.reset_world("")
    last = max([query.last_id()] + [r.get("message_id") or 0 for r in demo.values()])
    transaction.on_commit(
        lambda: doorbell.send_to_room(
            "", {"type": "room.event", "room": {"code": "", "reset": last}}
        )
    )
    return {"world": "", "demo": demo}
