"""The page's controls as an API (/api/api/…): everything a button does, a script can do too.

POST /api/api/console         send a request to Shop through the playground's client
POST /api/api/orders          a customer places an order (a random one)
POST /api/api/break-contract  send Shop an order that breaks its contract, to see it rejected
GET/PUT /api/api/shop-mode    Shop's failure switches: healthy, slow, erroring, down
GET/POST /api/api/poller      the poller: start (every N story-seconds), stop, counters
"""

import random
import re
from typing import Literal

from asgiref.sync import sync_to_async
from ninja import Router, Schema
from pydantic import ConfigDict, Field, field_validator

from patterns.contracts.breaking import malform
from patterns.ledger.errors import ApiError, ErrorOut
from patterns.shop import store

from . import client, poller, switches

router = Router(tags=["request/response"])
HEADER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,40}$")
FORBIDDEN_HEADERS = {
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "cookie",
    "x-request-id",
    "upgrade",
    "te",
    "trailer",
    "expect",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
}


class ConsoleRequest(Schema):
    """A request to send to Shop's API, as built in the console."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    path: str = Field(
        max_length=300, pattern=r"^/api/shop/[^\s#\\]*$", description="Under /api/shop/ only."
    )
    headers: dict[str, str] = Field(
        default_factory=dict, description="Extra request headers (at most 20)."
    )
    body: str = Field("", max_length=20_000, description="The body as text (normally JSON).")
    repeat: int = Field(
        1, ge=1, le=30, description="Send it this many times in a row (to see the rate limit)."
    )
    client_id: str = Field(
        "console", pattern=r"^console[A-Za-z0-9_-]{0,40}$", description="Sent as X-Client-Id."
    )

    @field_validator("path")
    @classmethod
    def no_climbing(cls, path):
        if ".." in path:
            raise ValueError("the path may not contain '..'")
        return path

    @field_validator("headers")
    @classmethod
    def plain_headers(cls, headers):
        if len(headers) > 20:
            raise ValueError("at most 20 headers")
        for name, value in headers.items():
            if not HEADER_NAME.match(name) or name.lower() in FORBIDDEN_HEADERS:
                raise ValueError(f"{name!r} cannot be sent from the console")
            if len(value) > 300 or any(ord(c) < 32 for c in value):
                raise ValueError(f"the value of {name} must be one line of at most 300 characters")
        return headers


class Exchange(Schema):
    correlation_id: str
    method: str
    url: str
    path: str
    request_headers: dict[str, str]
    request_body: str
    status: int | None
    reason: str
    response_headers: dict[str, str]
    body: object = None
    duration_ms: float
    failure: str | None = Field(description="timeout or refused: no HTTP answer came at all")
    detail: str


class ConsoleResult(Schema):
    exchanges: list[Exchange]
    summary: dict[str, int] = Field(
        description="How many answers of each status (or failure) came back."
    )
    broken: dict[str, str] | None = None


def _summary(outcomes):
    summary = {}
    for outcome in outcomes:
        label = str(outcome.status) if outcome.status else outcome.failure
        summary[label] = summary.get(label, 0) + 1
    return summary


async def _send_all(request_, times=1):
    outcomes = []
    async with client.http_client() as http:
        for _ in range(times):
            outcomes.append(
                await client.send(
                    http,
                    request_.method,
                    request_.path,
                    client_id=request_.client_id,
                    headers=request_.headers,
                    body=request_.body,
                )
            )
    return {"exchanges": [o.as_dict() for o in outcomes], "summary": _summary(outcomes)}


@router.post("/console", response={200: ConsoleResult, 422: ErrorOut})
async def console(request, payload: ConsoleRequest):
    """Send a request to Shop's API through the playground's client and return every answer
    (status, headers, body, time) — or the timeout or refused connection the client met instead."""
    return await _send_all(payload, payload.repeat)


class PlaceOrder(Schema):
    model_config = ConfigDict(extra="forbid")
    client_id: str = Field("console", pattern=r"^console[A-Za-z0-9_-]{0,40}$")


def _random_order():
    customers = store.list_customers(limit=200)
    if not customers:
        raise ApiError(409, "no_customers", "Shop has no customers yet (run manage.py shop_seed)")
    return {
        "customer_id": random.choice(customers)["id"],
        "total": f"{random.randint(500, 25000) / 100:.2f}",
    }


@router.post("/orders", response={200: ConsoleResult, 409: ErrorOut, 422: ErrorOut})
async def place_order(request, payload: PlaceOrder = None):
    """A customer places an order: POST /api/shop/orders with a random customer and total."""
    order = await sync_to_async(_random_order)()
    sent = ConsoleRequest(
        method="POST",
        path="/api/shop/orders",
        body=client.body_text(order),
        client_id=(payload.client_id if payload else "console"),
    )
    return await _send_all(sent)


@router.post("/break-contract", response={200: ConsoleResult, 422: ErrorOut})
async def break_contract(request, payload: PlaceOrder = None):
    """Send Shop an order that breaks its contract (one field wrong) and see who rejects it and why."""
    broken = malform("api.order.new")
    sent = ConsoleRequest(
        method="POST",
        path="/api/shop/orders",
        body=client.body_text(broken.payload),
        client_id=(payload.client_id if payload else "console"),
    )
    return {**await _send_all(sent), "broken": {"field": broken.field, "what": broken.what}}


class ModeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    mode: Literal[tuple(switches.MODES)]


class ModeOut(Schema):
    mode: str
    explanation: str
    heals_in: int | None = Field(
        description="Seconds until Shop heals by itself (null when healthy)."
    )


@router.get("/shop-mode", response=ModeOut)
def shop_mode(request):
    """How Shop behaves now."""
    return switches.current()


@router.put("/shop-mode", response={200: ModeOut, 422: ErrorOut})
def set_shop_mode(request, payload: ModeIn):
    """Switch Shop to healthy, slow, erroring or down (it heals by itself after a few minutes)."""
    return switches.set_mode(payload.mode)


class PollerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: Literal["start", "stop"]
    every: float | None = Field(
        None, description="Story-seconds between two polls (1 to 60 s real), for start."
    )


class PollerOut(Schema):
    running: bool
    every: float
    every_text: str
    since: str | None
    requests: int
    found: int
    empty: int
    failed: int
    orders: int
    average_wait_ms: float | None
    average_wait_text: str | None
    pushes_instead: int


@router.get("/poller", response=PollerOut)
def poller_state(request):
    """The poller's counters: requests made, how many found something, how long orders waited."""
    return poller.snapshot()


@router.post("/poller", response={200: PollerOut, 422: ErrorOut})
def control_poller(request, payload: PollerIn):
    """Start the poller (every N story-seconds; counters start at zero) or stop it."""
    if payload.action == "stop":
        return poller.stop()
    try:
        return poller.start(payload.every if payload.every is not None else poller.bounds()[0] * 2)
    except poller.BadInterval as exc:
        raise ApiError(422, "bad_interval", str(exc), "every") from None
