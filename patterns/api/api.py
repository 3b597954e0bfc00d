"""Shop's REST API at /api/shop/: customers and orders, over Shop's own data access (`store`).

Every operation is a recorded exchange (see exchange.py) behind Shop's gate: a documented
per-client rate limit (SHOP_API_RATE_LIMIT, "20/10s": bursts of 20, then 2 a second, per
X-Client-Id or IP address) and the failure switches of the page. Lists page by id (`after`,
`limit`): stable while orders are added, and complete. The playground's own controls for this
style (the console, the poller, the switches) are mounted at /api/api/ (controls.py).
"""

import warnings
from datetime import datetime, timezone
from typing import Optional

from django.http import HttpResponse, JsonResponse
from ninja import Header, Path, Query, Router, Status

from patterns.shop import store

from . import controls, idempotency
from .exchange import exchange
from .messages import client_id_of
from .schemas import MAX_ID, Customer, CustomerPage, Error, NewOrder, Order, OrderPage, OrderStatus, StatusChange
from .shopcall import in_shop, not_found

PREFIX = "shop"
MORE_ROUTERS = {"api": controls.router}
router = Router(tags=["shop"])
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def errors(*codes):
    """The documented error answers of an operation (all in the one error shape)."""
    return {code: Error for code in (*codes, 429, 500, 503)}


def _page(rows, limit, request, response):
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_after = rows[-1]["id"] if has_more else None
    if has_more:  # RFC 8288: the next page's address, for clients that follow links
        query = request.GET.copy()
        query["after"], query["limit"] = next_after, limit
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return {"items": rows, "next_after": next_after, "has_more": has_more}


EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)


def _utc(moment):
    """`since` in UTC (no zone: UTC), within the years any order can have (same answer, no overflow)."""
    if moment is None:
        return None
    if moment.year <= 1970:
        return EARLIEST
    if moment.year >= 2100:
        return LATEST
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


@router.get("/orders", response={200: OrderPage, **errors(400)}, summary="List orders")
@exchange("orders.list", response_contract="api.order.page")
async def list_orders(
    request, response: HttpResponse,
    status: Optional[OrderStatus] = None,
    customer_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
    since: Optional[datetime] = Query(None, description="Only orders placed at or after this time (ISO 8601; UTC if no zone)."),
    after: int = Query(0, ge=0, le=MAX_ID, description="Only orders with an id above this one: pass the previous page's `next_after`."),
    limit: int = Query(50, ge=1, le=200),
):
    """Orders in id order, a page at a time, optionally only those with a status, of a customer or
    placed since a moment. Paging by id is stable and complete: an order placed while you page
    appears on a later page, never twice, and nothing is skipped."""
    rows = await in_shop(store.list_orders, status=status, customer_id=customer_id, since=_utc(since),
                         after_id=after, limit=limit + 1)
    return _page(rows, limit, request, response)


@router.get("/orders/{order_id}", response={200: Order, **errors(400, 404)}, summary="Get one order")
@exchange("orders.get", response_contract="api.order")
async def get_order(request, order_id: int = Path(..., ge=1, le=MAX_ID)):
    """One order by its id; 404 if there is none."""
    return await in_shop(not_found("order_id", store.get_order), order_id)


@router.post("/orders", response={201: Order, **errors(400, 409, 422)}, summary="Place an order")
@exchange("orders.create", request_contract="api.order.new", response_contract="api.order")
async def create_order(
    request, response: HttpResponse, order: NewOrder,
    idempotency_key: Optional[str] = Header(None, alias="Idempotency-Key", max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
                                            description="Send the same key again (e.g. after a timeout) and Shop "
                                                        "returns the first answer instead of placing a second order."),
):
    """Place a pending order for an existing customer (422 names the field if the body breaks the
    contract). Retrying with the same Idempotency-Key never places it twice."""
    created, replayed = await in_shop(idempotency.create_once, client_id_of(request), idempotency_key, order)
    response["Location"] = f"/api/shop/orders/{created['id']}"
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, created)


@router.patch("/orders/{order_id}", response={200: Order, **errors(400, 404, 409, 422)}, summary="Change an order's status")
@exchange("orders.status", request_contract="api.order.status", response_contract="api.order")
async def change_status(request, change: StatusChange, order_id: int = Path(..., ge=1, le=MAX_ID)):
    """Move an order on: pending → paid or cancelled; paid → shipped, refunded or cancelled;
    shipped → delivered; delivered → refunded. Anything else is impossible: 409, saying why."""
    return await in_shop(not_found("order_id", store.change_status), order_id, change.status)


@router.get("/customers", response={200: CustomerPage, **errors(400)}, summary="List customers")
@exchange("customers.list", response_contract="api.customer.page")
async def list_customers(request, response: HttpResponse, after: int = Query(0, ge=0, le=MAX_ID),
                         limit: int = Query(50, ge=1, le=200)):
    """Customers in id order, a page at a time (only the agreed fields: no emails, no passwords)."""
    rows = await in_shop(store.list_customers, after_id=after, limit=limit + 1)
    return _page(rows, limit, request, response)


@router.get("/customers/{customer_id}", response={200: Customer, **errors(400, 404)}, summary="Get one customer")
@exchange("customers.get", response_contract="api.customer")
async def get_customer(request, customer_id: int = Path(..., ge=1, le=MAX_ID)):
    """One customer by id; 404 if there is none."""
    return await in_shop(not_found("customer_id", store.get_customer), customer_id)


def _refuse_other_methods(path, allowed):
    """Other methods on a known path: a recorded 405 in the error shape (not Django's bare page)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the path parameters arrive as **kwargs

        @router.api_operation([m for m in METHODS if m not in allowed], path, include_in_schema=False)
        @exchange("not-allowed")
        async def not_allowed(request, **kwargs):
            detail = f"{request.method} is not allowed on {request.path}; use {', '.join(allowed)}"
            return JsonResponse({"error": "method_not_allowed", "detail": detail}, status=405,
                                headers={"Allow": ", ".join(allowed)})


for _path, _allowed in (("/orders", ["GET", "POST"]), ("/orders/{order_id}", ["GET", "PATCH"]),
                        ("/customers", ["GET"]), ("/customers/{customer_id}", ["GET"])):
    _refuse_other_methods(_path, _allowed)


@router.api_operation(list(METHODS), "/{path:rest}", include_in_schema=False)
@exchange("unknown")
async def unknown_path(request, rest: str):
    """Anything else under /api/shop/: a recorded 404 that points to the documentation."""
    return JsonResponse({"error": "not_found", "detail": f"Shop's API has no {request.path}; see /api/docs"}, status=404)
