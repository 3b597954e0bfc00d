"""Request and response shapes of the webhooks API, and the functions that fill them."""

from datetime import datetime
from typing import Literal, Optional

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from . import endpoints, ladder, shop
from .catalog import TYPES

EventName = Literal[tuple(TYPES)]  # type: ignore[valid-type]


class Error(Schema):
    error: str
    detail: str
    field: Optional[str] = None


class Accepted(Schema):
    detail: str


class EndpointIn(Schema):
    url: str = Field(max_length=500, examples=["https://webhook.site/your-id"])
    description: str = Field(default="", max_length=200)
    event_types: list[EventName] = Field(default_factory=list, description="empty: every type")
    disable_after: int = Field(default=3, ge=1, le=100, description="disable after this many dead messages in a row")


class EndpointPatch(Schema):
    url: Optional[str] = Field(default=None, max_length=500)
    description: Optional[str] = Field(default=None, max_length=200)
    event_types: Optional[list[EventName]] = None
    disabled: Optional[bool] = None
    disable_after: Optional[int] = Field(default=None, ge=1, le=100)


class EndpointOut(Schema):
    id: int
    url: str
    builtin: bool
    description: str
    event_types: list[str]
    disabled: bool
    disabled_reason: str
    failure_run: int
    disable_after: int
    secret_hint: str
    rotating_until: Optional[datetime]
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str


class Rotated(Schema):
    id: int
    secret: str
    previous_valid_until: Optional[datetime]
    window: str


class EventIn(Schema):
    type: str = Field(examples=["payment.completed"])
    data: Optional[dict] = Field(default=None, description="the event's data; omitted: the sample")


class DeliveryBrief(Schema):
    id: int
    endpoint: str
    state: str


class EventFired(Schema):
    event_id: str
    type: str
    deliveries: list[DeliveryBrief]


class EventOut(Schema):
    seq: int
    event_id: str
    type: str
    source: str
    created_at: datetime
    body: dict


class EventPage(Schema):
    events: list[EventOut]
    next_after: int


class AttemptOut(Schema):
    number: int
    started_at: datetime
    duration_ms: Optional[float]
    status_code: Optional[int]
    ok: bool
    error: str
    response: str


class DeliveryOut(Schema):
    id: int
    event_id: str
    type: str
    endpoint_id: int
    endpoint: str
    endpoint_disabled: bool
    state: str
    attempts: int
    max_attempts: int
    next_attempt_at: Optional[datetime]
    next_attempt_in_ms: Optional[float]
    last_status_code: Optional[int]
    last_error: str
    created_at: datetime
    delivered_at: Optional[datetime]
    attempt_log: list[AttemptOut]


class ReceiverIn(Schema):
    mode: Literal[tuple(shop.MODES)]  # type: ignore[valid-type]


class ReceiverOut(Schema):
    mode: str
    modes: dict[str, str]


class CompareIn(Schema):
    interval: int = Field(default=3600, ge=60, le=24 * 3600, description="story seconds between polls")


class CompareOut(Schema):
    running: bool
    interval: int
    interval_text: str = ""
    started_at: Optional[datetime] = None
    stops_at: Optional[datetime] = None
    poll: Optional[dict] = None
    push: Optional[dict] = None


class CheckOut(Schema):
    message_id: int
    verified: bool
    detail: str
    signatures: int
    curl: str


def endpoint_out(e):
    return {"id": e.id, "url": endpoints.target_url(e) if e.builtin else e.url, "builtin": e.builtin,
            "description": e.description, "event_types": e.event_types, "disabled": e.disabled,
            "disabled_reason": e.disabled_reason, "failure_run": e.failure_run, "disable_after": e.disable_after,
            "secret_hint": f"whsec_…{e.secret[-4:]}", "rotating_until": endpoints.rotation_ends_in(e),
            "created_at": e.created_at}


def event_out(e):
    import json

    return {"seq": e.id, "event_id": e.event_id, "type": e.type, "source": e.source, "created_at": e.created_at,
            "body": json.loads(e.body)}


def delivery_out(d):
    wait = (d.next_attempt_at - timezone.now()).total_seconds() * 1000 if d.next_attempt_at and d.state == "pending" else None
    return {"id": d.id, "event_id": d.event.event_id, "type": d.event.type, "endpoint_id": d.endpoint_id,
            "endpoint": d.endpoint.label, "endpoint_disabled": d.endpoint.disabled, "state": d.state, "attempts": d.attempts, "max_attempts": ladder.ATTEMPTS,
            "next_attempt_at": d.next_attempt_at if d.state == "pending" else None,
            "next_attempt_in_ms": max(0.0, wait) if wait is not None else None,
            "last_status_code": d.last_status_code, "last_error": d.last_error, "created_at": d.created_at,
            "delivered_at": d.delivered_at, "attempt_log": list(d.attempt_set.all())}
