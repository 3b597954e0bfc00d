"""The events we send: who sends each, its data contract, a sample, and the body on the wire.

A webhook body follows the Standard Webhooks shape {"type", "timestamp", "data"}. The pydantic
model of the data is the contract: it refuses a bad edit before anything is sent, checks every
ledger hop, and feeds the `webhooks` section of the OpenAPI document.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import pydantic
from pydantic import ConfigDict, Field

ID = r"^[a-z]{2,4}_[A-Za-z0-9]{1,32}$"
CURRENCY = r"^[A-Z]{3}$"


class _Data(pydantic.BaseModel):
    model_config = ConfigDict(extra="forbid")


class PaymentCompleted(_Data):
    """A customer's payment went through: Shop can mark the order paid and ship it."""

    payment_id: str = Field(pattern=ID, examples=["pay_1042"])
    order_id: str = Field(pattern=ID, examples=["ord_1042"])
    amount: float = Field(gt=0, le=1_000_000, description="in the currency's main unit")
    currency: str = Field(pattern=CURRENCY)
    method: Literal["card", "bank_transfer", "wallet"] = "card"


class PaymentFailed(_Data):
    """A payment was declined: Shop should ask the customer for another way to pay."""

    payment_id: str = Field(pattern=ID)
    order_id: str = Field(pattern=ID)
    amount: float = Field(gt=0, le=1_000_000)
    currency: str = Field(pattern=CURRENCY)
    reason: Literal["card_declined", "insufficient_funds", "expired_card", "fraud_suspected"]


class RefundCreated(_Data):
    """Money is going back to a customer: Shop updates the order and its accounts."""

    refund_id: str = Field(pattern=ID)
    payment_id: str = Field(pattern=ID)
    amount: float = Field(gt=0, le=1_000_000)
    currency: str = Field(pattern=CURRENCY)
    reason: str = Field(default="", max_length=200)


class UserSignedUp(_Data):
    """Someone created an account in the shop: a mailing tool can send a welcome email."""

    user_id: str = Field(pattern=ID)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)
    name: str = Field(min_length=1, max_length=100)


class OrderShipped(_Data):
    """An order left the warehouse: tracking can start, the customer gets a note."""

    order_id: str = Field(pattern=ID)
    carrier: str = Field(min_length=1, max_length=40)
    tracking_number: str = Field(min_length=4, max_length=40)


@dataclass(frozen=True)
class EventType:
    name: str
    source: str  # who sends it: a node on the stage
    data_model: type[_Data]
    sample: dict

    @property
    def contract(self):
        return f"webhook.{self.name}"

    @property
    def summary(self):
        return (self.data_model.__doc__ or "").strip()


SOURCES = {"payments": "Payments", "storefront": "Shop (storefront)"}
TYPES = {
    t.name: t
    for t in [
        EventType(
            "payment.completed",
            "payments",
            PaymentCompleted,
            {
                "payment_id": "pay_1042",
                "order_id": "ord_1042",
                "amount": 49.90,
                "currency": "EUR",
                "method": "card",
            },
        ),
        EventType(
            "payment.failed",
            "payments",
            PaymentFailed,
            {
                "payment_id": "pay_1043",
                "order_id": "ord_1043",
                "amount": 12.50,
                "currency": "EUR",
                "reason": "card_declined",
            },
        ),
        EventType(
            "refund.created",
            "payments",
            RefundCreated,
            {
                "refund_id": "re_77",
                "payment_id": "pay_1042",
                "amount": 10.00,
                "currency": "EUR",
                "reason": "one mug arrived broken",
            },
        ),
        EventType(
            "user.signed_up",
            "storefront",
            UserSignedUp,
            {"user_id": "usr_501", "email": "ada@example.com", "name": "Ada Lovelace"},
        ),
        EventType(
            "order.shipped",
            "storefront",
            OrderShipped,
            {"order_id": "ord_1042", "carrier": "DHL", "tracking_number": "JD014600003"},
        ),
    ]
}


def body_model(event_type):
    """The whole body on the wire for one type: {"type", "timestamp", "data"}."""
    return pydantic.create_model(
        event_type.data_model.__name__ + "Webhook",
        __doc__=event_type.summary,
        __config__=ConfigDict(extra="forbid"),
        type=(Literal[event_type.name], ...),
        timestamp=(datetime, ...),
        data=(event_type.data_model, ...),
    )


def encode(event_type, data, when):
    """The exact bytes that are signed and sent (compact JSON; kept as text, never re-encoded)."""
    body = {
        "type": event_type.name,
        "timestamp": when.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def data_schema(event_type):
    """The JSON schema of a type's body with nested definitions inlined (no $defs to resolve)."""
    schema = body_model(event_type).model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)
