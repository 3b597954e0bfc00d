"""The request console's ready-made examples: each shows one thing a client meets."""

import json

from patterns.shop import store


def _nth(rows, n, fallback):
    """The id of the n-th row (1-based), else of the last, else `fallback` (an empty Shop)."""
    return rows[min(n, len(rows)) - 1]["id"] if rows else fallback


def console_examples():
    """Examples built on ids that exist now: a re-seeded Shop does not reuse ids, so the 42nd
    order is found by its place, not by the id it had in the first seed."""
    order = _nth(store.list_orders(limit=42), 42, 42)
    delivered = _nth(store.list_orders(status="delivered", limit=1), 1, 1)
    customer = _nth(store.list_customers(limit=7), 7, 7)
    new_order = json.dumps({"customer_id": customer, "total": "19.90"}, indent=2)
    bad_order = json.dumps({"customer_id": customer, "total": -5}, indent=2)
    return [
        {
            "key": "get",
            "label": f"Get order {order}",
            "method": "GET",
            "path": f"/api/shop/orders/{order}",
            "body": "",
            "teaches": "The plainest exchange: ask for one thing, get it (200).",
        },
        {
            "key": "list",
            "label": "List paid orders",
            "method": "GET",
            "path": "/api/shop/orders?status=paid&limit=5",
            "body": "",
            "teaches": "Filters and pages: next_after is the bookmark for the next page.",
        },
        {
            "key": "missing",
            "label": "Get an order that does not exist",
            "method": "GET",
            "path": "/api/shop/orders/999999",
            "body": "",
            "teaches": "404: nothing is broken; it just is not there.",
        },
        {
            "key": "create",
            "label": "Create an order",
            "method": "POST",
            "path": "/api/shop/orders",
            "body": new_order,
            "teaches": "201 Created, with the new order's address in the Location header.",
        },
        {
            "key": "invalid",
            "label": "Create an invalid order",
            "method": "POST",
            "path": "/api/shop/orders",
            "body": bad_order,
            "teaches": "422: the body broke the contract; Shop names the field.",
        },
        {
            "key": "conflict",
            "label": "Cancel a delivered order",
            "method": "PATCH",
            "path": f"/api/shop/orders/{delivered}",
            "body": json.dumps({"status": "cancelled"}, indent=2),
            "teaches": "409: a valid request that is impossible now (a delivered order can only be refunded).",
        },
        {
            "key": "burst",
            "label": "Ask too often (25 in a row)",
            "method": "GET",
            "path": f"/api/shop/orders/{order}",
            "body": "",
            "repeat": 25,
            "teaches": "429: the rate limit; Retry-After says when to come back.",
        },
    ]
