"""The contract of every message kind this style records (checked when the ledger records it),
and the CSV contract itself (one row of the orders file)."""

from typing import Literal

import pydantic

from patterns.contracts import registry
from patterns.site import resets

from . import csvcontract

STRICT = pydantic.ConfigDict(extra="forbid")
Name = pydantic.Field(max_length=120)


class OrdersRow(pydantic.BaseModel):
    """One line of Shop's nightly orders CSV, as Accounting booked it (its physical line number in the file)."""

    model_config = STRICT
    file: str = Name
    line: int = pydantic.Field(ge=2)
    order_id: int = pydantic.Field(gt=0)
    customer_id: int = pydantic.Field(gt=0)
    customer_name: str = pydantic.Field(min_length=1, max_length=100)
    total: str = pydantic.Field(pattern=r"^-?\d{1,10}(\.\d{1,2})?$")
    currency: str = pydantic.Field(pattern=r"^[A-Z]{3}$")
    status: Literal[csvcontract.STATUSES]
    created_at: str
    updated_at: str


class FileWritten(pydantic.BaseModel):
    """A file appeared in a folder: Shop wrote it, delivered it, you uploaded it — or a writer died half-way."""

    model_config = STRICT
    file: str = Name
    folder: Literal["outbox", "inbox"]
    rows: int = pydantic.Field(ge=0)
    bytes: int = pydantic.Field(ge=0)
    sha256: str = pydantic.Field(pattern=r"^([0-9a-f]{64})?$")
    manifest: bool
    story_time: str
    note: str = ""


class FileRead(pydantic.BaseModel):
    """Accounting read one file from the inbox: imported (maybe with refused rows), a duplicate, or rejected whole."""

    model_config = STRICT
    file: str = Name
    outcome: Literal["imported", "duplicate", "rejected"]
    moved_to: Literal["processed", "rejected"]
    rows_in_file: int = pydantic.Field(ge=0)
    imported: int = pydantic.Field(ge=0)
    refused: int = pydantic.Field(ge=0)
    reason: str = ""
    column: str | None = None
    story_time: str
    age: str | None = None


class Pickup(pydantic.BaseModel):
    """Accounting looked in its inbox (on schedule or when asked) and says what it found."""

    model_config = STRICT
    trigger: Literal["schedule", "button"]
    story_time: str
    found: int = pydantic.Field(ge=0)
    imported: int = pydantic.Field(ge=0)
    rejected: int = pydantic.Field(ge=0)
    waiting: list[str]
    missing: str | None = None
    note: str


class RowRefused(pydantic.BaseModel):
    """One line of a file that broke the CSV contract: its physical line number and why."""

    model_config = STRICT
    file: str = Name
    line: int = pydantic.Field(ge=1)
    column: str | None = None
    reason: str


class RowsSummary(pydantic.BaseModel):
    """Beyond the first rows of a file, rows are counted here instead of recorded one by one."""

    model_config = STRICT
    file: str = Name
    recorded: int = pydantic.Field(ge=0)
    not_recorded: int = pydantic.Field(ge=0)
    imported: int = pydantic.Field(ge=0)
    refused: int = pydantic.Field(ge=0)


EXAMPLE_ROW = {
    "file": "orders-day-003.csv",
    "line": 2,
    "order_id": 1042,
    "customer_id": 17,
    "customer_name": "Ines Moreau",
    "total": "59.90",
    "currency": "EUR",
    "status": "paid",
    "created_at": "2026-11-27T14:03:00+00:00",
    "updated_at": "2026-11-27T15:10:00+00:00",
}
CONTRACTS = {
    "files.orders_row": (OrdersRow, EXAMPLE_ROW, "orders.csv"),
    "files.file_written": (
        FileWritten,
        {
            "file": "orders-day-003.csv",
            "folder": "outbox",
            "rows": 400,
            "bytes": 38211,
            "sha256": "a" * 64,
            "manifest": True,
            "story_time": "Day 3 · 00:00",
        },
        "outbox/",
    ),
    "files.file_read": (
        FileRead,
        {
            "file": "orders-day-003.csv",
            "outcome": "imported",
            "moved_to": "processed",
            "rows_in_file": 400,
            "imported": 399,
            "refused": 1,
            "story_time": "Day 3 · 08:00",
            "age": "8 hours",
        },
        "inbox/",
    ),
    "files.pickup": (
        Pickup,
        {
            "trigger": "schedule",
            "story_time": "Day 3 · 08:00",
            "found": 1,
            "imported": 1,
            "rejected": 0,
            "waiting": [],
            "note": "1 file imported.",
        },
        "inbox/",
    ),
    "files.row_refused": (
        RowRefused,
        {
            "file": "orders-day-003.csv",
            "line": 5,
            "column": "total",
            "reason": "'12,50' is not an amount like 59.90",
        },
        "orders.csv",
    ),
    "files.rows_summary": (
        RowsSummary,
        {
            "file": "orders-day-003.csv",
            "recorded": 100,
            "not_recorded": 300,
            "imported": 400,
            "refused": 0,
        },
        "orders.csv",
    ),
}


def register():
    for name, (model, example, address) in CONTRACTS.items():
        registry.register(name, model, examples=[example], channel="file", address=address)
    resets.register_contract("files")
