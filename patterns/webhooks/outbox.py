"""Firing an event: the outbox pattern.

The event row, one delivery row per subscribed endpoint and the ledger's "event" hop are written in
one transaction; only after it commits are the deliveries handed to a worker. If the broker blinks
at that moment nothing is lost: the rows are there, due, and the sweeper hands them over later.
"""

import json
import logging
import uuid
from datetime import timedelta

import pydantic
from django.db import transaction
from django.utils import timezone

from patterns.contracts.registry import describe_error
from patterns.ledger.recorder import record
from patterns.ledger.roomctx import world

from . import catalog, endpoints
from .models import Delivery, Event

log = logging.getLogger(__name__)
# A delivery whose job has not started this long after it was handed over is handed over again
# (its job was lost, or the broker was down). The dispatch number stops a double request.
HANDOVER_GRACE = timedelta(seconds=30)


class BadEvent(ValueError):
    def __init__(self, field, detail):
        super().__init__(detail)
        self.field, self.detail = field, detail


def validate(type_name, data):
    event_type = catalog.TYPES.get(type_name)
    if event_type is None:
        raise BadEvent(
            "type", f"unknown event type {type_name!r}; known: {', '.join(catalog.TYPES)}"
        )
    if not isinstance(data, dict):
        raise BadEvent("data", "data must be a JSON object")
    try:
        clean = event_type.data_model.model_validate(data)
    except pydantic.ValidationError as exc:
        where, problem = describe_error(exc)
        first = exc.errors()[0]
        if (
            first["type"] == "string_pattern_mismatch" and where in event_type.sample
        ):  # no regex for learners
            problem = f"{where}: {first['input']!r} does not look like {event_type.sample[where]!r}"
        raise BadEvent(f"data.{where}", f"data.{problem}") from None
    return event_type, clean.model_dump(mode="json")


def fire(type_name, data=None):
    """Validate, then write event + deliveries + ledger hop at once, in this world and for its
    endpoints only. Returns (event, deliveries)."""
    event_type, data = validate(type_name, event_type_sample(type_name) if data is None else data)
    endpoints.builtin()
    now = timezone.now()
    event_id = "evt_" + uuid.uuid4().hex[:24]
    body = catalog.encode(event_type, data, now)
    with transaction.atomic():
        # The ledger hop first: it takes the ledger's writer lock, so event ids commit in order.
        record(
            style="webhooks",
            kind=event_type.name,
            hop="event",
            source=event_type.source,
            target="outbox",
            uid=f"{event_id}-event",
            correlation_id=event_id,
            payload=_json(body),
            contract=event_type.contract,
        )
        event = Event.objects.create(
            world=world(),
            event_id=event_id,
            type=event_type.name,
            source=event_type.source,
            body=body,
            created_at=now,
        )
        targets = [
            e for e in endpoints.of_world().filter(disabled=False) if e.wants(event_type.name)
        ]
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(
                    event=event, endpoint=e, created_at=now, next_attempt_at=now + HANDOVER_GRACE
                )
                for e in targets
            ]
        )
        if any(d.id is None for d in deliveries):  # a database that does not return ids on insert
            deliveries = list(Delivery.objects.filter(event=event).select_related("endpoint"))
        event.held_in_outbox = 0  # how many deliveries wait for the broker (set after the commit)
        transaction.on_commit(
            lambda: setattr(
                event, "held_in_outbox", hand_over([(d.id, d.dispatch) for d in deliveries])
            )
        )
    return event, deliveries


def hand_over(jobs, chunk=20):
    """Give deliveries to the workers; returns how many wait for the broker. Failure to reach it is
    not fatal (see HANDOVER_GRACE), and is tried once per call: a frozen broker costs one timeout."""
    from .tasks import deliver

    for start in range(0, len(jobs), chunk):
        try:
            deliver.delay(jobs[start : start + chunk])
        except (
            Exception
        ) as exc:  # the broker is down: due now, the sweeper hands them over when it is back
            log.warning(
                "could not hand %d deliveries to a worker (%s); the sweeper will", len(jobs), exc
            )
            _due_now([delivery_id for delivery_id, _ in jobs[start:]])
            return len(jobs) - start
    return 0


def _due_now(ids):
    try:
        Delivery.objects.filter(id__in=ids, state=Delivery.State.PENDING).update(
            next_attempt_at=timezone.now()
        )
    except Exception:  # they become due after HANDOVER_GRACE anyway
        log.exception("could not mark %d deliveries due", len(ids))


def event_type_sample(type_name):
    event_type = catalog.TYPES.get(type_name)
    return dict(event_type.sample) if event_type else {}


def _json(body):
    return json.loads(body)


def summary(event, deliveries):
    held = getattr(event, "held_in_outbox", 0)
    return {
        "event_id": event.event_id,
        "type": event.type,
        "held_in_outbox": held,
        "detail": f"the broker cannot be reached: {held} deliveries wait in the outbox and go out when it is back"
        if held
        else "",
        "deliveries": [
            {"id": d.id, "endpoint": d.endpoint.label, "state": d.state} for d in deliveries
        ],
    }
