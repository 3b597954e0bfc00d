"""What an attempt's outcome does to its delivery and its endpoint, in one transaction with the
ledger's "answer" hop: delivered; retry later (on the ladder, or after Retry-After); dead (ladder
exhausted); or the endpoint disabled (410 Gone, or too many dead messages in a row)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from patterns.ledger.recorder import record_many
from patterns.ledger.roomctx import in_room
from patterns.site import storytime

from . import ladder
from .models import Attempt, Delivery, Endpoint


def _next_wait(number, outcome, manual):
    """Real seconds until the next attempt, or None when this delivery is finished (dead)."""
    if manual or outcome.status_code == 410:
        return None
    story = ladder.story_delay_after(number)
    if story is None:
        return None
    wait = storytime.to_real(story)
    if outcome.status_code == 429 and outcome.retry_after is not None:
        wait = max(wait, outcome.retry_after)  # honour "not before"
    return wait


def _failure_text(number, outcome, wait, manual):
    if outcome.status_code == 410:
        return (
            f"{outcome.error}: the receiver says this address is gone, so the endpoint is disabled"
        )
    if wait is None:
        return f"{outcome.error}; {'a resend is tried once' if manual else f'all {ladder.ATTEMPTS} attempts used'}: failed"
    story = storytime.describe(storytime.to_story(wait))
    honoured = (
        " (as its Retry-After asked)" if outcome.status_code == 429 and outcome.retry_after else ""
    )
    return f"{outcome.error}; attempt {number + 1} of {ladder.ATTEMPTS} comes after a wait of {story}{honoured}"


def _close_endpoint_run(endpoint, dead):
    """Count messages that died in a row; disable the endpoint when the run is long enough."""
    if not dead:
        if endpoint.failure_run:  # as loaded with the delivery: most deliveries skip this write
            Endpoint.objects.filter(id=endpoint.id).update(failure_run=0)
        return False
    Endpoint.objects.filter(id=endpoint.id).update(failure_run=F("failure_run") + 1)
    run = Endpoint.objects.values_list("failure_run", "disable_after").get(id=endpoint.id)
    if run[0] >= run[1]:
        Endpoint.objects.filter(id=endpoint.id).update(
            disabled=True,
            disabled_reason=f"{run[0]} messages in a row failed; re-enable it when it is fixed",
        )
        return True
    return False


def _update_endpoint(delivery, outcome, state):
    """True if this outcome disables the endpoint."""
    if outcome.status_code == 410:
        Endpoint.objects.filter(id=delivery.endpoint_id).update(
            disabled=True, disabled_reason="answered 410 Gone: the receiver asked us to stop"
        )
        return True
    if state != Delivery.State.PENDING:
        return _close_endpoint_run(delivery.endpoint, dead=state == Delivery.State.FAILED)
    return False


def _settle_one(sending, outcome, now):
    """Apply one outcome to its delivery and endpoint; returns its "answer" hop."""
    delivery, number = sending.delivery, sending.number
    wait = None if outcome.ok else _next_wait(number, outcome, delivery.manual)
    state = (
        Delivery.State.DELIVERED
        if outcome.ok
        else Delivery.State.PENDING
        if wait is not None
        else Delivery.State.FAILED
    )
    error = "" if outcome.ok else _failure_text(number, outcome, wait, delivery.manual)
    # Pending, as claimed, unless cancelled while the request was out (its endpoint was deleted).
    still_there = Delivery.objects.filter(id=delivery.id, state=Delivery.State.PENDING).update(
        state=state,
        last_status_code=outcome.status_code,
        last_error=error[:300],
        next_attempt_at=now + timedelta(seconds=wait) if wait is not None else None,
        delivered_at=now if outcome.ok else F("delivered_at"),
        manual=False if state != Delivery.State.PENDING else F("manual"),
    )
    attempt = None
    if still_there:
        attempt = Attempt(
            delivery=delivery,
            number=number,
            started_at=sending.sent_at,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            ok=outcome.ok,
            error=error[:300],
            response=outcome.response[:300],
            headers=sending.headers,
        )
    disabled = bool(still_there) and _update_endpoint(delivery, outcome, state)
    return attempt, _answer_hop(sending, outcome, state, wait, error, disabled)


def settle(pairs):
    """Settle (sending, outcome) pairs in one transaction, with their "answer" hops."""
    now = timezone.now()
    with transaction.atomic():
        settled = [_settle_one(sending, outcome, now) for sending, outcome in pairs]
        # The claim made each attempt number ours alone: plain inserts (the unique pair guards them).
        Attempt.objects.bulk_create([attempt for attempt, _ in settled if attempt])
        record_in_worlds(
            [(s.delivery.event.world, hop) for (s, _), (_, hop) in zip(pairs, settled)]
        )


def record_in_worlds(pairs):
    """Record (world, hop) pairs, each hop in its own world: a batch may mix worlds, and a hop
    recorded without one would take the world of whichever job carried the batch."""
    by_world = {}
    for world, hop in pairs:
        by_world.setdefault(world, []).append(hop)
    for world, hops in by_world.items():
        with in_room(world):
            record_many(hops)


def _answer_hop(sending, outcome, state, wait, error, disabled):
    delivery, endpoint = sending.delivery, sending.delivery.endpoint
    payload = {
        "delivery": delivery.id,
        "endpoint": endpoint.label,
        "status_code": outcome.status_code,
        "body": outcome.response[:200],
        "outcome": {"delivered": "delivered", "pending": "retrying", "failed": "failed"}[state],
        "retry_in_ms": round(wait * 1000, 1) if wait is not None else None,
        "endpoint_disabled": disabled,
    }
    return {
        "style": "webhooks",
        "kind": delivery.event.type,
        "correlation_id": delivery.event.event_id,
        "uid": f"{delivery.uid}-{sending.number}-answer",
        "hop": "answer",
        "source": endpoint.node,
        "target": delivery.event.source,
        "status": "ok" if outcome.ok else "error",
        "status_code": outcome.status_code,
        "attempt": sending.number,
        "duration_ms": outcome.duration_ms,
        "sent_at": sending.sent_at,
        "payload": payload,
        "contract": "webhooks.answer",
        "error": error,
    }
