"""Every message kind this style records has a contract: the five events (see catalog.py) and
the hops around them — an endpoint's answer, Shop's verdict, a poll, a mode change."""

from typing import Literal

import pydantic
from pydantic import Field

from patterns.contracts import registry as contracts
from patterns.site import resets

from .catalog import TYPES, body_model


class Answer(pydantic.BaseModel):
    """What an endpoint answered to one delivery attempt (or why there was no answer)."""

    delivery: int
    endpoint: str
    outcome: Literal["delivered", "retrying", "failed", "skipped"]
    status_code: int | None = None
    body: str = Field(default="", max_length=300, description="the first bytes of the response")
    retry_in_ms: float | None = None
    endpoint_disabled: bool = False


class Verdict(pydantic.BaseModel):
    """Shop's receiver's decision about one request that claimed to be a webhook."""

    verdict: Literal["processed", "duplicate", "rejected", "refused", "stuck"]
    reason: str = ""
    signature: str = ""


class Poll(pydantic.BaseModel):
    """One "anything new?" request of Shop's poller, and what it found."""

    found: int = Field(ge=0)
    cursor: int = Field(ge=0)
    events: list[str] = []


class ModeChange(pydantic.BaseModel):
    """Shop's receiver was switched to another behaviour."""

    mode: str


def register():
    for event_type in TYPES.values():
        sample_body = {
            "type": event_type.name,
            "timestamp": "2025-01-01T12:00:00Z",
            "data": event_type.sample,
        }
        contracts.register(event_type.contract, body_model(event_type), examples=[sample_body])
    # The hops around an event are plain HTTP, not webhooks we send: they stay out of the OpenAPI
    # document's `webhooks` section, which lists only the five events.
    contracts.register(
        "webhooks.answer",
        Answer,
        channel="http",
        address="an endpoint's answer",
        direction="receive",
        examples=[
            {
                "delivery": 1,
                "endpoint": "Shop (built-in receiver)",
                "outcome": "delivered",
                "status_code": 200,
                "body": '{"ok": true}',
            }
        ],
    )
    contracts.register(
        "webhooks.verdict",
        Verdict,
        channel="http",
        address="/webhooks/receiver/",
        direction="receive",
        examples=[
            {
                "verdict": "processed",
                "reason": "signature checked",
                "signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
            }
        ],
    )
    contracts.register(
        "webhooks.poll",
        Poll,
        channel="http",
        address="/api/webhooks/events",
        examples=[{"found": 2, "cursor": 41, "events": ["payment.completed", "order.shipped"]}],
    )
    contracts.register(
        "webhooks.mode",
        ModeChange,
        channel="http",
        address="/api/webhooks/receiver",
        examples=[{"mode": "down"}],
    )
    resets.register_contract("webhooks")
