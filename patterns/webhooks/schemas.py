"""Request and response shapes of the webhooks API, and the functions that fill them."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from . import shop
from .catalog import TYPES

EventName = Literal[tuple(TYPES)]  # type: ignore[valid-type]
SECRET = (
    "The endpoint's signing secret (`whsec_…`), shown only to its world's key holder (a room's "
    "control key; the owner's key for the shared demo when the playground is served); null otherwise."
)


class Accepted(Schema):
    detail: str


class EndpointIn(Schema):
    url: str = Field(max_length=500, examples=["https://webhook.site/your-id"])
    description: str = Field(default="", max_length=200)
    event_types: list[EventName] = Field(default_factory=list, description="empty: every type")
    disable_after: int = Field(
        default=3, ge=1, le=100, description="disable after this many dead messages in a row"
    )


class EndpointPatch(Schema):
    url: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=200)
    event_types: list[EventName] | None = None
    disabled: bool | None = None
    disable_after: int | None = Field(default=None, ge=1, le=100)


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
    rotating_until: datetime | None
    created_at: datetime
    secret: str | None = Field(default=None, description=SECRET)


class Rotated(Schema):
    id: int
    secret: str | None = Field(default=None, description=SECRET)
    previous_valid_until: datetime | None
    window: str


class EventIn(Schema):
    type: str = Field(examples=["payment.completed"])
    data: dict | None = Field(default=None, description="the event's data; omitted: the sample")


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
    duration_ms: float | None
    status_code: int | None
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
    next_attempt_at: datetime | None
    next_attempt_in_ms: float | None
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    attempt_log: list[AttemptOut]


class ReceiverIn(Schema):
    mode: Literal[tuple(shop.MODES)]  # type: ignore[valid-type]


class ReceiverOut(Schema):
    mode: str
    modes: dict[str, str]
    detail: str = ""  # what else changed (Shop's endpoint re-enabled)


class CompareIn(Schema):
    interval: int = Field(
        default=3600, ge=60, le=24 * 3600, description="story seconds between polls"
    )


class CompareOut(Schema):
    running: bool
    interval: int
    interval_text: str = ""
    started_at: datetime | None = None
    stops_at: datetime | None = None
    poll: dict | None = None
    push: dict | None = None


class CheckOut(Schema):
    message_id: int
    verified: bool
    detail: str
    signatures: int
    curl: str
