"""`manage.py fire api <kind>`: the page's buttons from a terminal (a running playground answers).

fire api request --data '{"method": "GET", "path": "/api/shop/orders/42"}'
fire api order            a customer places an order
fire api poll             the poller asks Shop once
"""

import asyncio

from patterns.site import triggers

from . import client, poller
from .controls import ConsoleRequest, _random_order, _send_all


def _summary(result):
    first = result["exchanges"][0]
    return {
        "correlation_id": first["correlation_id"],
        "status": first["status"],
        "failure": first["failure"],
        "summary": result["summary"],
    }


def fire_request(data):
    request = ConsoleRequest.model_validate({"path": "/api/shop/orders/42", **data})
    return _summary(asyncio.run(_send_all(request, request.repeat)))


def fire_order(data):
    request = ConsoleRequest(
        method="POST", path="/api/shop/orders", body=client.body_text(_random_order())
    )
    return _summary(asyncio.run(_send_all(request)))


def fire_poll(data):
    outcome = asyncio.run(poller.poll_once())
    return {
        "correlation_id": outcome.correlation_id,
        "status": outcome.status,
        "failure": outcome.failure,
    }


def register():
    triggers.register(
        "api",
        "request",
        fire_request,
        help="a request to Shop's API (--data: method, path, body …)",
    )
    triggers.register(
        "api", "order", fire_order, help="a customer places an order through Shop's API"
    )
    triggers.register("api", "poll", fire_poll, help="the poller asks Shop once for new orders")
