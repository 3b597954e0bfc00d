"""The database style's API, at /api/database/:

GET  dashboard?via=direct|api   Reporting's dashboard, straight from the tables or through Shop's
                                REST API (/api/shop/…, served by the request/response style)
POST query {sql}                 the read-only SQL console
POST lookup {email}              a customer by email, the email sent as a parameter
GET  schema / POST schema {change: rename_column|change_type|split_table|add_not_null|restore}
GET  exposure                    what Reporting's connection can read, beside what the API gives
"""

import time
from typing import Literal

from asgiref.sync import sync_to_async
from ninja import Query, Router, Schema
from pydantic import Field

from patterns.ledger.errors import ApiError

from . import agreed, changes, console, exposure, lane, notes, reader, reporting

router = Router(tags=["database"])
RequestId = str | None
REQUEST_ID = Field(
    None,
    max_length=64,
    pattern=r"^[A-Za-z0-9_-]+$",
    description="optional: the same id on a retried request records nothing twice",
)


class QueryIn(Schema):
    sql: str = Field(min_length=1, max_length=4000)
    request_id: RequestId = REQUEST_ID


class LookupIn(Schema):
    email: str = Field(min_length=1, max_length=200)
    request_id: RequestId = REQUEST_ID


class ChangeIn(Schema):
    change: Literal["rename_column", "change_type", "split_table", "add_not_null", "restore"]
    request_id: RequestId = REQUEST_ID


@router.get(
    "/dashboard",
    summary="Reporting's dashboard: straight from Shop's tables, or through Shop's API",
)
async def dashboard(
    request,
    via: Literal["direct", "api"] = "direct",
    request_id: RequestId = Query(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"),
):
    started = time.perf_counter()
    if via == "direct":
        panels, calls = await reader.in_pool(reporting.dashboard), []
    else:
        panels, calls = await agreed.dashboard()
    rows = await sync_to_async(notes.record_dashboard)(via, panels, calls, request_id)
    return {
        "via": via,
        "ok": all(p["ok"] for p in panels.values()),
        "panels": panels,
        "calls": calls,
        "correlation_id": rows[0].correlation_id if rows else None,
        "vendor": reader.vendor(),
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
    }


async def _in_console(fn, arg):
    try:
        return await reader.in_pool(fn, arg, pool="console")
    except lane.Overran:
        return console.overran(fn, arg)
    except reader.Busy:
        raise ApiError(
            429,
            "console_busy",
            "The console is busy with other people's queries (each may run up to "
            f"{reader.TIME_LIMIT_MS / 1000:g} s). Nothing was run; try again in a moment.",
        ) from None


async def _answer(answer, kind, request_id):
    await sync_to_async(notes.record_console)(
        kind,
        answer.payload,
        ok=answer.ok,
        error=answer.error,
        status_code=answer.status_code,
        duration_ms=answer.duration_ms,
        request_id=request_id,
    )
    if answer.refusal:
        raise answer.refusal
    return answer.response


@router.post("/query", summary="Run one read-only statement against Shop's database")
async def query(request, body: QueryIn):
    return await _answer(
        await _in_console(console.run_query, body.sql), "console.query", body.request_id
    )


@router.post(
    "/lookup", summary="Find a customer by email (the email is sent as a parameter, never as SQL)"
)
async def lookup(request, body: LookupIn):
    return await _answer(
        await _in_console(console.lookup, body.email), "console.lookup", body.request_id
    )


@router.get("/schema", summary="Shop's tables and columns now, and the changes Shop can ship")
def get_schema(request):
    return changes.describe()


@router.post(
    "/schema", summary="Shop ships a change to its tables (a real migration), or restores them"
)
def post_schema(request, body: ChangeIn):
    try:
        ran, state = changes.ship(body.change, body.request_id)
    except KeyError:
        raise ApiError(
            422, "unknown_change", f"Shop has no change called {body.change!r}", "change"
        ) from None
    return {"change": body.change, "ran": ran, **state}


@router.get(
    "/exposure", summary="What Reporting's connection can read, beside what Shop's API gives"
)
async def get_exposure(request):
    return await exposure.report()
