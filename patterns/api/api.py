"""Shop's REST API at /api/shop/: customers and orders, over Shop's own data access (`store`).

Every operation is a recorded exchange (see exchange.py) behind Shop's gate: a documented
per-client rate limit (SHOP_API_RATE_LIMIT, "20/10s": bursts of 20, then 2 a second, per
X-Client-Id or IP address) and the failure switches of the page. Lists page by id (`after`,
`limit`): stable while orders are added, and complete. The playground's own controls for this
style (the console, the poller, the switches) are mounted at /api/api/ (controls.py).
"""

import warnings
from datetime import UTC, datetime
from typing import Annotated

from django.http import HttpResponse, JsonResponse
from ninja import Header, Path, Query, Router, Status
from pydantic import WithJsonSchema

from patterns.ledger.errors import ApiError, ErrorOut
from patterns.shop import store

from . import idempotency
from .exchange import exchange
from .messages import client_id_of
from .schemas import (
    MAX_ID,
    Customer,
    CustomerPage,
    NewOrder,
    Order,
    OrderPage,
    OrderStatus,
    StatusChange,
)
from .shopcall import in_shop, not_found

router = Router(tags=["shop"])
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def errors(*codes):
    """The documented error answers of an operation (all in the one error shape)."""
    return {code: ErrorOut for code in (*codes, 429, 500, 503)}


def _page(rows, limit, request, response):
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_after = rows[-1]["id"] if has_more else None
    if has_more:  # RFC 8288: the next page's address, for clients that follow links
        query = request.GET.copy()
        query["after"], query["limit"] = next_after, limit
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return {"items": rows, "next_after": next_after, "has_more": has_more}


Moment = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time", "maxLength": 40})]
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _utc(text):
    """`since` in UTC (no zone: UTC), within the years any order can have (same answer, no overflow).
    Only ISO 8601 text: a bare number is not a moment (pydantic would read it as a Unix time)."""
    if text is None:
        return None
    try:
        moment = (
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            if "T" in text or " " in text
            else None
        )
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError(
            400,
            "invalid_query",
            "since: must be an ISO 8601 date and time, like 2025-03-01T09:30:00Z",
            "since",
        )
    if moment.year <= 1970:
        return EARLIEST
    if moment.year >= 2100:
        return LATEST
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.get("/orders", response={200: OrderPage, **errors(400)}, summary="List orders")
@exchange("orders.list", response_contract="api.order.page")
async def list_orders(
    request,
    response: HttpResponse,
    status: OrderStatus | None = None,
    customer_id: int | None = Query(None, ge=1, le=MAX_ID),
    since: Moment | None = Query(
        None, description="Only orders placed at or after this time (ISO 8601; UTC if no zone)."
    ),
    after: int = Query(
        0,
        ge=0,
        le=MAX_ID,
        description="Only orders with an id above this one: pass the previous page's `next_after`.",
    ),
    limit: int = Query(50, ge=1, le=200),
):
    """Orders in id order, a page at a time, optionally only those with a status, of a customer or
    placed since a moment. Paging by id is stable and complete: an order placed while you page
    appears on a later page, never twice, and nothing is skipped."""
    rows = await in_shop(
        store.list_orders,
        status=status,
        customer_id=customer_id,
        since=_utc(since),
        after_id=after,
        limit=limit + 1,
    )
    return _page(rows, limit, request, response)


@router.get(
    "/orders/{order_id}", response={200: Order, **errors(400, 404)}, summary="Get one order"
)
@exchange("orders.get", response_contract="api.order")
async def get_order(request, order_id: int = Path(..., ge=1, le=MAX_ID)):
    """One order by its id; 404 if there is none."""
    return await in_shop(not_found("order_id", store.get_order), order_id)


@router.post("/orders", response={201: Order, **errors(400, 409, 422)}, summary="Place an order")
@exchange("orders.create", request_contract="api.order.new", response_contract="api.order")
async def create_order(
    request,
    response: HttpResponse,
    order: NewOrder,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Send the same key again (e.g. after a timeout) and Shop "
        "returns the first answer instead of placing a second order.",
    ),
):
    """Place a pending order for an existing customer (422 names the field if the body breaks the
    contract). Retrying with the same Idempotency-Key never places it twice."""
    created, replayed = await in_shop(
        idempotency.create_once, client_id_of(request), idempotency_key, order
    )
    response["Location"] = f"/api/shop/orders/{created['id']}"
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, created)


@router.patch(
    "/orders/{order_id}",
    response={200: Order, **errors(400, 404, 409, 422)},
    summary="Change an order's status",
)
@exchange("orders.status", request_contract="api.order.status", response_contract="api.order")
async def change_status(request, change: StatusChange, order_id: int = Path(..., ge=1, le=MAX_ID)):
    """Move an order on: pending → paid or cancelled; paid → shipped, refunded or cancelled;
    shipped → delivered; delivered → refunded. Anything else is impossible: 409, saying why."""
    return await in_shop(not_found("order_id", store.change_status), order_id, change.status)


@router.get("/customers", response={200: CustomerPage, **errors(400)}, summary="List customers")
@exchange("customers.list", response_contract="api.customer.page")
async def list_customers(
    request,
    response: HttpResponse,
    after: int = Query(0, ge=0, le=MAX_ID),
    limit: int = Query(50, ge=1, le=200),
):
    """Customers in id order, a page at a time (only the agreed fields: no emails, no passwords)."""
    rows = await in_shop(store.list_customers, after_id=after, limit=limit + 1)
    return _page(rows, limit, request, response)


@router.get(
    "/customers/{customer_id}",
    response={200: Customer, **errors(400, 404)},
    summary="Get one customer",
)
@exchange("customers.get", response_contract="api.customer")
async def get_customer(request, customer_id: int = Path(..., ge=1, le=MAX_ID)):
    """One customer by id; 404 if there is none."""
    return await in_shop(not_found("customer_id", store.get_customer), customer_id)


def _refuse_other_methods(path, allowed):
    """Other methods on a known path: a recorded 405 in the error shape (not Django's bare page)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the path parameters arrive as **kwargs

        @router.api_operation(
            [m for m in METHODS if m not in allowed], path, include_in_schema=False
        )
        @exchange("not-allowed")
        async def not_allowed(request, **kwargs):
            detail = f"{request.method} is not allowed on {request.path}; use {', '.join(allowed)}"
            return JsonResponse(
                {"error": "method_not_allowed", "detail": detail},
                status=405,
                headers={"Allow": ", ".join(allowed)},
            )


for _path, _allowed in (
    ("/orders", ["GET", "POST"]),
    ("/orders/{order_id}", ["GET", "PATCH"]),
    ("/customers", ["GET"]),
    ("/customers/{customer_id}", ["GET"]),
):
    _refuse_other_methods(_path, _allowed)


@router.api_operation(list(METHODS), "/{path:rest}", include_in_schema=False)
@exchange("unknown")
async def unknown_path(request, rest: str):
    """Anything else under /api/shop/: a recorded 404 that points to the documentation."""
    return JsonResponse(
        {"error": "not_found", "detail": f"Shop's API has no {request.path}; see /api/docs"},
        status=404,
    )


SHOP_TAG = (
    "Shop's REST API. Every call is recorded in the ledger as two hops (request, response) of "
    "one exchange. **Rate limit, per client**: each client (its `X-Client-Id` header, else its IP "
    "address) may burst {capacity} requests, then {capacity} per {window:g} s; beyond that Shop "
    "answers 429 with `Retry-After`. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining`, "
    "`RateLimit-Reset`, `RateLimit-Policy` and `X-Request-Id`. Errors are "
    '`{{"error", "detail", "field"}}`.'
)
CLIENT_HEADER = {
    "name": "X-Client-Id",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "Who is asking (letters, digits, . _ : -; at most 64). The rate limit is per "
    "client; without it, your IP address is the client.",
}
LIMIT_HEADERS = {
    name: {"description": text, "schema": {"type": "string"}}
    for name, text in [
        ("RateLimit-Limit", "Requests a client may burst."),
        ("RateLimit-Remaining", "Requests left in the burst now."),
        ("RateLimit-Reset", "Seconds until the burst is whole again."),
        ("X-Request-Id", "The exchange's id in the ledger."),
    ]
}


def extend_openapi(schema):
    """Document what every Shop operation shares: the client header, the rate limit, its headers."""
    from . import ratelimit

    limit = ratelimit.current()
    schema.setdefault("tags", []).append(
        {
            "name": "shop",
            "description": SHOP_TAG.format(capacity=limit.capacity, window=limit.window),
        }
    )
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/shop/"):
            continue
        for operation in operations.values():
            operation.setdefault("parameters", []).append(dict(CLIENT_HEADER))
            for status, answer in operation.get("responses", {}).items():
                headers = dict(LIMIT_HEADERS)
                if str(status) == "429":
                    headers["Retry-After"] = {
                        "description": "Seconds to wait before asking again.",
                        "schema": {"type": "string"},
                    }
                answer["headers"] = headers
    return schema
