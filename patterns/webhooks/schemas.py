"""Request and response shapes of the webhooks API, and the functions that fill them."""

from datetime import datetime
from typing import Literal, Optional

from ninja import Schema
from pydantic import Field

from . import shop
from .catalog import TYPES

EventName = Literal[tuple(TYPES)]  # type: ignore[valid-type]


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
    held_in_outbox: int = 0  # deliveries waiting in the outbox for the broker (then 202)
    detail: str = ""


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
