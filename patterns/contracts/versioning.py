"""Versioning, shown: Shop's `shop.order.placed` event evolves, and its consumers either keep
working or break.

Version 1 is what every consumer was written against. Version 1.1 *adds* a field (`channel`):
consumers that ignore fields they do not know (tolerant readers) keep working; one that refuses
anything unexpected (a strict reader) breaks. Version 2 *renames* `total` to `amount`: everyone
who reads `total` breaks. Each consumer is real reading code (a pydantic model of the fields it
needs); the demo hands each of them the new event and reports what happened, beside a
compatibility check of the two schemas (what tools like schema registries do before a release).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import pydantic

from . import registry

NAME = "shop.order.placed"
ADDRESS = "shop.events"


class OrderPlacedV1(pydantic.BaseModel):
    """Shop tells everyone who listens that an order was placed."""

    order_id: int = pydantic.Field(ge=1)
    customer_id: int = pydantic.Field(ge=1)
    total: str = pydantic.Field(pattern=r"^\d+\.\d{2}$", description="Euros, two decimals.")
    currency: Literal["EUR"] = "EUR"


class OrderPlacedV1_1(OrderPlacedV1):
    """Version 1.1 adds where the order came from; nothing was removed or renamed."""

    channel: Literal["web", "app", "phone"]


class OrderPlacedV2(pydantic.BaseModel):
    """Version 2 renames `total` to `amount` (a breaking change for anyone reading `total`)."""

    order_id: int = pydantic.Field(ge=1)
    customer_id: int = pydantic.Field(ge=1)
    amount: str = pydantic.Field(pattern=r"^\d+\.\d{2}$", description="Euros, two decimals.")
    currency: Literal["EUR"] = "EUR"


V1 = {"order_id": 42, "customer_id": 7, "total": "19.90", "currency": "EUR"}
VERSIONS = {
    "1": (OrderPlacedV1, V1),
    "1.1": (OrderPlacedV1_1, V1 | {"channel": "app"}),
    "2": (OrderPlacedV2, {"order_id": 42, "customer_id": 7, "amount": "19.90", "currency": "EUR"}),
}
CHANGES = {"add_field": "1.1", "rename_field": "2", "original": "1"}


# The consumers, each reading only what it needs. Tolerant readers ignore unknown fields.
class AccountingReads(pydantic.BaseModel):
    order_id: int
    total: Decimal


class WarehouseReads(pydantic.BaseModel):
    order_id: int
    customer_id: int


class FraudCheckReads(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        extra="forbid"
    )  # a strict reader: anything unexpected is refused
    order_id: int
    customer_id: int
    total: Decimal
    currency: str


@dataclass(frozen=True)
class Consumer:
    name: str
    does: str
    reads: type[pydantic.BaseModel]
    strict: bool = False


CONSUMERS = [
    Consumer("Accounting", "books the revenue", AccountingReads),
    Consumer("Warehouse", "packs the parcel", WarehouseReads),
    Consumer("Fraud check", "scores the order (a strict reader)", FraudCheckReads, strict=True),
]


def consume(consumer, event):
    """(ok, what happened): the consumer's real reading code on `event`."""
    try:
        consumer.reads.model_validate(event)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "(event)"
        return False, f"{where}: {first['msg']}"
    return True, f"read it and {consumer.does}"


def _fields(model):
    schema = model.model_json_schema()
    return {name: prop.get("type") for name, prop in schema.get("properties", {}).items()}


def compare(old, new):
    """What changed between two versions' schemas, each with its verdict, as a registry would say."""
    before, after = _fields(old), _fields(new)
    added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
    changes = [
        {
            "change": f"field added: {f}",
            "verdict": "safe for tolerant readers; breaks strict readers",
        }
        for f in added
    ]
    changes += [
        {"change": f"field removed: {f}", "verdict": "breaking: everyone who reads it fails"}
        for f in removed
    ]
    if len(added) == len(removed) == 1 and before[removed[0]] == after[added[0]]:
        changes.append(
            {"change": f"looks like a rename: {removed[0]} → {added[0]}", "verdict": "breaking"}
        )
    changes += [
        {"change": f"type changed: {f}", "verdict": "breaking"}
        for f in sorted(set(before) & set(after))
        if before[f] != after[f]
    ]
    return changes


def demo(change):
    """Hand version CHANGES[change] of the event to every consumer; report who keeps working."""
    version = CHANGES[change]
    model, event = VERSIONS[version]
    results = []
    for consumer in CONSUMERS:
        ok, what = consume(consumer, event)
        results.append(
            {"consumer": consumer.name, "strict": consumer.strict, "ok": ok, "what": what}
        )
    return {
        "change": change,
        "from_version": "1",
        "to_version": version,
        "event": event,
        "schema_changes": compare(OrderPlacedV1, model),
        "consumers": results,
        "broken": [r["consumer"] for r in results if not r["ok"]],
    }


def register():
    for version, (model, example) in VERSIONS.items():
        registry.register(
            NAME, model, version=version, examples=[example], channel="queue", address=ADDRESS
        )
