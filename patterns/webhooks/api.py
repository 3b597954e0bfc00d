"""The webhooks API under /api/webhooks/: endpoints, events, deliveries, Shop's receiver mode,
the attack demos and the push-vs-poll comparison. Everything a button does.

Everything here is the request's world's (roomctx.world()): another world's endpoint, event or
delivery is not found (404), as if it did not exist."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from patterns.ledger.errors import ApiError, ErrorOut
from patterns.ledger.roomctx import world

from . import endpoints, outbox, schemas
from .api_demo import router as demo_router
from .models import Delivery, Event
from .present import delivery_out, endpoint_out, event_out, secret_out

router = Router(tags=["webhooks"])
router.add_router("", demo_router)  # the receiver's mode, attacks, push vs poll, signature check


def _refused(exc):
    return ApiError(
        exc.status, "invalid_endpoint" if exc.status == 422 else "conflict", exc.detail, exc.field
    )


def _deliveries():
    return Delivery.objects.select_related("event", "endpoint").filter(event__world=world())


@router.get("/endpoints", response=list[schemas.EndpointOut])
def list_endpoints(request):
    """This world's subscribed endpoints (each secret only to the world's key holder)."""
    endpoints.builtin()
    return [endpoint_out(e) for e in endpoints.of_world()]


@router.post("/endpoints", response={201: schemas.EndpointOut, 409: ErrorOut, 422: ErrorOut})
def create_endpoint(request, body: schemas.EndpointIn):
    """Subscribe a URL. The answer holds its secret (`whsec_…`) if you hold this world's key."""
    try:
        endpoint = endpoints.create(
            body.url, body.description, body.event_types, body.disable_after
        )
    except endpoints.Refused as exc:
        raise _refused(exc) from None
    return Status(201, endpoint_out(endpoint))


@router.get("/endpoints/{endpoint_id}", response={200: schemas.EndpointOut, 404: ErrorOut})
def get_endpoint(request, endpoint_id: int):
    return endpoint_out(endpoints.get(endpoint_id))


@router.patch(
    "/endpoints/{endpoint_id}",
    response={200: schemas.EndpointOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def update_endpoint(request, endpoint_id: int, body: schemas.EndpointPatch):
    """Change an endpoint; `{"disabled": false}` re-enables one that was disabled."""
    endpoint = endpoints.get(endpoint_id)
    try:
        endpoints.update(endpoint, body.model_dump(exclude_unset=True))
    except endpoints.Refused as exc:
        raise _refused(exc) from None
    if body.disabled is False:
        from .sweeper import sweep

        sweep()  # its paused deliveries go out now
    return endpoint_out(endpoint)


@router.delete("/endpoints/{endpoint_id}", response={204: None, 404: ErrorOut, 409: ErrorOut})
def delete_endpoint(request, endpoint_id: int):
    endpoint = endpoints.get(endpoint_id)
    if endpoint.builtin:
        raise ApiError(409, "conflict", "the built-in endpoint stays; disable it instead")
    endpoints.delete(endpoint)
    return Status(204, None)


@router.post(
    "/endpoints/{endpoint_id}/rotate-secret", response={200: schemas.Rotated, 404: ErrorOut}
)
def rotate_secret(request, endpoint_id: int):
    """A new secret (shown to this world's key holder). For a story day both the old and the new
    one sign every message."""
    endpoint = endpoints.rotate(endpoints.get(endpoint_id))
    return {
        "id": endpoint.id,
        "secret": secret_out(endpoint),
        "previous_valid_until": endpoint.previous_secret_until,
        "window": endpoints.window_description(),
    }


@router.post("/events", response={201: schemas.EventFired, 202: schemas.EventFired, 422: ErrorOut})
def fire_event(request, body: schemas.EventIn):
    """Fire an event: it is signed and delivered to every endpoint that wants its type.
    Without `data`, the type's sample data is sent. If the broker is down (or frozen): 202, and
    `held_in_outbox` deliveries wait in the outbox and go out when it is back."""
    try:
        event, deliveries = outbox.fire(body.type, body.data)
    except outbox.BadEvent as exc:
        raise ApiError(422, "invalid_event", exc.detail, exc.field) from None
    summary = outbox.summary(event, deliveries)
    return Status(202 if summary["held_in_outbox"] else 201, summary)


@router.get("/events", response={200: schemas.EventPage, 400: ErrorOut})
def list_events(request, after: int = 0, source: str = "", type: str = "", limit: int = 100):
    """Payments' events API, for pollers: the events after `after` (a `seq`), oldest first."""
    if not 1 <= limit <= 500 or after < 0:
        raise ApiError(400, "bad_query", "limit must be 1–500 and after at least 0", "limit")
    rows = Event.objects.filter(world=world(), id__gt=after)
    rows = rows.filter(source=source) if source else rows
    rows = list((rows.filter(type=type) if type else rows)[:limit])
    return {"events": [event_out(e) for e in rows], "next_after": rows[-1].id if rows else after}


@router.get("/deliveries", response={200: list[schemas.DeliveryOut], 400: ErrorOut})
def list_deliveries(
    request, event: str = "", state: str = "", endpoint: int | None = None, limit: int = 100
):
    """Deliveries, newest first: filter by `event` (its id), `state` or `endpoint`."""
    if state and state not in Delivery.State.values:
        raise ApiError(
            400, "bad_query", f"state must be one of {', '.join(Delivery.State.values)}", "state"
        )
    if not 1 <= limit <= 500:
        raise ApiError(400, "bad_query", "limit must be between 1 and 500", "limit")
    rows = _deliveries().prefetch_related("attempt_set")
    rows = rows.filter(event__event_id=event) if event else rows
    rows = rows.filter(state=state) if state else rows
    rows = rows.filter(endpoint_id=endpoint) if endpoint else rows
    return [delivery_out(d) for d in rows[:limit]]


@router.get("/deliveries/{delivery_id}", response={200: schemas.DeliveryOut, 404: ErrorOut})
def get_delivery(request, delivery_id: int):
    return delivery_out(get_object_or_404(_deliveries(), id=delivery_id))


@router.post(
    "/deliveries/{delivery_id}/resend",
    response={202: schemas.DeliveryOut, 404: ErrorOut, 409: ErrorOut},
)
def resend(request, delivery_id: int):
    """Send it again now: same webhook-id, new timestamp and signature. A finished delivery gets one
    more attempt; a pending one skips the rest of its wait."""
    from .resend import resend as do_resend

    delivery = get_object_or_404(_deliveries(), id=delivery_id)
    if delivery.endpoint.deleted_at:
        raise ApiError(409, "endpoint_deleted", "its endpoint was deleted")
    if delivery.endpoint.disabled:
        raise ApiError(409, "endpoint_disabled", "its endpoint is disabled: re-enable it first")
    if (
        delivery.state == Delivery.State.PENDING
        and delivery.attempt_set.count() < delivery.attempts
    ):
        raise ApiError(409, "in_flight", "an attempt is on its way right now; wait for its answer")
    return Status(202, delivery_out(do_resend(delivery)))
