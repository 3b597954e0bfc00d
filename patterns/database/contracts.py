"""The contract of every message kind this style records (checked when the ledger records it)."""

from typing import Literal

import pydantic

from patterns.contracts import registry
from patterns.site import resets

STRICT = pydantic.ConfigDict(extra="forbid")


class ReportQuery(pydantic.BaseModel):
    """Reporting ran one SQL query straight against Shop's tables."""

    model_config = STRICT
    panel: str
    sql: str
    params: dict
    rows: int = pydantic.Field(ge=0)


class ApiCall(pydantic.BaseModel):
    """Reporting asked Shop's REST API for one page of data (the agreed way)."""

    model_config = STRICT
    method: Literal["GET"]
    path: str
    status: int = pydantic.Field(ge=0, le=599)
    rows: int = pydantic.Field(ge=0)
    fields: list[str]


class ConsoleQuery(pydantic.BaseModel):
    """A learner's query in the read-only SQL console, and what the database made of it."""

    model_config = STRICT
    sql: str = pydantic.Field(max_length=4000)
    outcome: Literal["rows", "refused", "too_slow", "error"]
    rows: int = pydantic.Field(ge=0)
    columns: list[str]
    truncated: bool


class Lookup(pydantic.BaseModel):
    """A customer looked up by email, with the email sent as a parameter (never as SQL)."""

    model_config = STRICT
    email: str = pydantic.Field(max_length=200)
    rows: int = pydantic.Field(ge=0)
    sql: str


class SchemaChange(pydantic.BaseModel):
    """Shop shipped a change to its own tables (or put them back)."""

    model_config = STRICT
    change: str
    title: str
    ran: bool
    tables: dict[str, list[str]]


CONTRACTS = {
    "database.report_query": (
        ReportQuery,
        {"panel": "revenue_today", "sql": "SELECT COUNT(*) …", "params": {}, "rows": 1},
    ),
    "database.api_call": (
        ApiCall,
        {
            "method": "GET",
            "path": "/api/shop/orders?after=0&limit=500",
            "status": 200,
            "rows": 400,
            "fields": ["created_at", "id", "status", "total"],
        },
    ),
    "database.console_query": (
        ConsoleQuery,
        {
            "sql": "SELECT * FROM shop_order LIMIT 3",
            "outcome": "rows",
            "rows": 3,
            "columns": ["id", "total"],
            "truncated": False,
        },
    ),
    "database.lookup": (
        Lookup,
        {"email": "ben.costa.1@example.com", "rows": 1, "sql": "SELECT … WHERE email = :email"},
    ),
    "database.schema_change": (
        SchemaChange,
        {
            "change": "rename_column",
            "title": "Rename a column",
            "ran": True,
            "tables": {"shop_order": ["id", "amount_cents"]},
        },
    ),
}


def register():
    for name, (model, example) in CONTRACTS.items():
        registry.register(name, model, examples=[example])
    resets.register_contract("database")
