"""STAND-IN for Shop's REST API (issue 6 builds the real one under /api/shop/…).

Until it lands, these two read endpoints give the API dashboard Shop's *agreed* view, served over
real HTTP at /api/database/shop/…. They use nothing but `patterns.shop.store` — Shop's own code,
which follows every schema change — so they return the same fields whatever Shop did to its
tables. When issue 6 lands, point `agreed.SHOP_API` at /api/shop and delete this file.
"""

from datetime import datetime
from typing import Optional

from ninja import Query, Router, Schema
from pydantic import Field

from patterns.shop import store

router = Router(tags=["database: Shop API stand-in"])
MAX_PAGE = 500


class Page(Schema):
    after: int = Field(0, ge=0, description="return items with an id greater than this (a stable cursor)")
    limit: int = Field(100, ge=1, le=MAX_PAGE)


class OrderFilters(Page):
    status: Optional[str] = Field(None, description="only orders with this status")
    since: Optional[datetime] = Field(None, description="only orders created at or after this time")


def _page(items, limit):
    return {"items": items, "next_after": items[-1]["id"] if len(items) == limit else None}


@router.get("/orders", summary="Shop's orders (agreed fields only), in id order")
def orders(request, filters: OrderFilters = Query(...)):
    items = store.list_orders(status=filters.status, since=filters.since, after_id=filters.after, limit=filters.limit)
    return _page(items, filters.limit)


@router.get("/customers", summary="Shop's customers (agreed fields only: no email, no password, no card)")
def customers(request, page: Page = Query(...)):
    return _page(store.list_customers(after_id=page.after, limit=page.limit), page.limit)
