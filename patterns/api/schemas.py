"""The agreement of Shop's REST API: one pydantic model per message, used three ways — ninja
validates requests and documents them in OpenAPI, the ledger checks every hop against them, and
the /contracts page shows them to learners."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, WithJsonSchema

from patterns.contracts import registry as contracts
from patterns.ledger.errors import ErrorOut
from patterns.shop.store import STATUSES
from patterns.site import resets

OrderStatus = Literal[STATUSES]
MAX_ID = 2**31 - 1  # ids are 32-bit in Shop's tables: a bigger number is refused, not overflowed


class Order(Schema):
    """An order as Shop's API shows it: what was bought, by whom, for how much, and where it stands."""

    id: int = Field(ge=1)
    customer_id: int = Field(ge=1)
    total: str = Field(
        pattern=r"^\d+\.\d{2}$",
        description="Euros as text with two decimals, so nothing is rounded on the way.",
    )
    currency: Literal["EUR"]
    status: OrderStatus
    created_at: datetime
    updated_at: datetime


class OrderPage(Schema):
    """A page of orders in id order. Ask for the next page with `after=next_after`."""

    items: list[Order]
    next_after: int | None = Field(
        description="Pass as `after` to get the next page; null on the last page."
    )
    has_more: bool


class Customer(Schema):
    """A customer as Shop's API shows it: no email, password or card digits ever leave Shop."""

    id: int = Field(ge=1)
    name: str
    customer_since: date
    city: str
    country: str = Field(min_length=2, max_length=2)


class CustomerPage(Schema):
    """A page of customers in id order. Ask for the next page with `after=next_after`."""

    items: list[Customer]
    next_after: int | None = Field(
        description="Pass as `after` to get the next page; null on the last page."
    )
    has_more: bool


# Euros as a number (19.9) or as text ("19.90"): more than 0, at most 100000, at most 2 decimals.
# Spelled out for the documents, so a client (or a fuzzer) knows exactly what is accepted.
TOTAL_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 100000, "multipleOf": 0.01},
        {
            "type": "string",
            "pattern": r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,4}(\.[0-9]{1,2})?|100000(\.0{1,2})?)$",
        },
    ],
    "description": 'Euros, more than 0, at most 100000, at most 2 decimals: 19.9 or "19.90".',
}
Total = Annotated[Decimal, Field(gt=0, le=100000, decimal_places=2), WithJsonSchema(TOTAL_SCHEMA)]


class NewOrder(Schema):
    """What a client sends to place an order: which customer, and the total in euros."""

    model_config = ConfigDict(extra="forbid")
    customer_id: int = Field(ge=1, le=MAX_ID, description="An existing customer's id.")
    total: Total
    currency: Literal["EUR"] = "EUR"


class StatusChange(Schema):
    """What a client sends to move an order on (pending → paid → shipped → delivered …)."""

    model_config = ConfigDict(extra="forbid")
    status: OrderStatus


ORDER_EXAMPLE = {
    "id": 42,
    "customer_id": 7,
    "total": "19.90",
    "currency": "EUR",
    "status": "paid",
    "created_at": "2025-03-01T09:30:00+00:00",
    "updated_at": "2025-03-01T09:41:00+00:00",
}
CUSTOMER_EXAMPLE = {
    "id": 7,
    "name": "Maya Costa",
    "customer_since": "2023-11-02",
    "city": "Lisbon",
    "country": "PT",
}

CONTRACTS = [
    ("api.order", Order, [ORDER_EXAMPLE], "send", "GET /api/shop/orders/{order_id}"),
    (
        "api.order.page",
        OrderPage,
        [{"items": [ORDER_EXAMPLE], "next_after": 42, "has_more": True}],
        "send",
        "GET /api/shop/orders",
    ),
    ("api.customer", Customer, [CUSTOMER_EXAMPLE], "send", "GET /api/shop/customers/{customer_id}"),
    (
        "api.customer.page",
        CustomerPage,
        [{"items": [CUSTOMER_EXAMPLE], "next_after": None, "has_more": False}],
        "send",
        "GET /api/shop/customers",
    ),
    (
        "api.order.new",
        NewOrder,
        [{"customer_id": 7, "total": "19.90", "currency": "EUR"}],
        "receive",
        "POST /api/shop/orders",
    ),
    (
        "api.order.status",
        StatusChange,
        [{"status": "shipped"}],
        "receive",
        "PATCH /api/shop/orders/{order_id}",
    ),
    (
        "api.error",
        ErrorOut,
        [{"error": "not_found", "detail": "no order 999", "field": "order_id"}],
        "send",
        "every error answer of /api/shop/",
    ),
]


def register():
    for name, model, examples, direction, address in CONTRACTS:
        contracts.register(
            name,
            model,
            version="1",
            examples=examples,
            channel="http",
            address=address,
            direction=direction,
        )
    resets.register_contract("api")
