"""The request console's ready-made examples: each shows one thing a client meets."""

import json

from patterns.shop import store


def _an_order(status, fallback):
    rows = store.list_orders(status=status, limit=1)
    return rows[0]["id"] if rows else fallback


def console_examples():
    delivered = _an_order("delivered", 1)
    new_order = json.dumps({"customer_id": 7, "total": "19.90"}, indent=2)
    bad_order = json.dumps({"customer_id": 7, "total": -5}, indent=2)
    return [
        {"key": "get", "label": "Get order 42", "method": "GET", "path": "/api/shop/orders/42", "body": "",
         "teaches": "The plainest exchange: ask for one thing, get it (200)."},
        {"key": "list", "label": "List paid orders", "method": "GET", "path": "/api/shop/orders?status=paid&limit=5",
         "body": "", "teaches": "Filters and pages: next_after is the bookmark for the next page."},
        {"key": "missing", "label": "Get an order that does not exist", "method": "GET",
         "path": "/api/shop/orders/999999", "body": "", "teaches": "404: nothing is broken; it just is not there."},
        {"key": "create", "label": "Create an order", "method": "POST", "path": "/api/shop/orders", "body": new_order,
         "teaches": "201 Created, with the new order's address in the Location header."},
        {"key": "invalid", "label": "Create an invalid order", "method": "POST", "path": "/api/shop/orders",
         "body": bad_order, "teaches": "422: the body broke the contract; Shop names the field."},
        {"key": "conflict", "label": "Cancel a delivered order", "method": "PATCH",
         "path": f"/api/shop/orders/{delivered}", "body": json.dumps({"status": "cancelled"}, indent=2),
         "teaches": "409: a valid request that is impossible now (a delivered order can only be refunded)."},
        {"key": "burst", "label": "Ask too often (25 in a row)", "method": "GET", "path": "/api/shop/orders/42",
         "body": "", "repeat": 25, "teaches": "429: the rate limit; Retry-After says when to come back."},
    ]
