"""The client inside the playground that calls Shop's API over real HTTP (httpx, explicit
timeout): the request console, the poller and the page's buttons all use it.

It sees what any client sees — an answer, a timeout, a refused connection — and records in the
ledger what Shop cannot: a request that never arrived (Shop is down) and a client that gave up
(Shop is slow). Shop records everything it does see itself (exchange.py). The request carries
X-Request-Id, so both sides' hops share one correlation id.
"""

import json
import time
from dataclasses import asdict, dataclass, field
from http import HTTPStatus

import httpx
import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record_many
from patterns.ledger.roomctx import world_header

from . import switches
from .messages import STYLE, caller_role, kind_of, parse_body


@dataclass
class Outcome:
    correlation_id: str
    method: str
    url: str
    path: str
    request_headers: dict
    request_body: str
    status: int | None = None
    reason: str = ""
    response_headers: dict = field(default_factory=dict)
    body: object = None
    duration_ms: float = 0.0
    failure: str | None = None  # "timeout" or "refused": no HTTP answer at all
    detail: str = ""

    def as_dict(self):
        return asdict(self)


def http_client():
    # trust_env=False: a proxy configured on the machine must not sit between client and Shop.
    return httpx.AsyncClient(timeout=httpx.Timeout(switches.CLIENT_TIMEOUT), trust_env=False)


def _base():
    try:
        down = switches.mode() == "down"
    except redis.RedisError:  # no switches without Redis: Shop counts as up
        down = False
    return switches.DOWN_URL if down else settings.PLAYGROUND_BASE_URL


def _hop(outcome, client_id, hop, source, target, **fields):
    return {
        "style": STYLE,
        "kind": kind_of(outcome.method, outcome.path),
        "hop": hop,
        "source": source,
        "target": target,
        "correlation_id": outcome.correlation_id,
        "status": "error",
        "uid": f"{outcome.correlation_id}-{hop}",
        **fields,
    }


def _failure_hops(outcome, client_id, started_at):
    """What only the client knows. Deterministic uids: recording a failure twice adds nothing."""
    role = caller_role(client_id)
    if outcome.failure == "timeout":  # Shop recorded the request itself; the client stopped waiting
        return [
            _hop(
                outcome,
                client_id,
                "timeout",
                "shop",
                role,
                error=outcome.detail,
                duration_ms=outcome.duration_ms,
                sent_at=started_at,
            )
        ]
    payload, _, _ = parse_body(outcome.request_body.encode(), None)
    headers = {":method": outcome.method, ":path": outcome.path} | {
        k.lower(): v for k, v in outcome.request_headers.items()
    }
    return [
        _hop(
            outcome,
            client_id,
            "request",
            role,
            "shop",
            payload=payload,
            headers=headers,
            sent_at=started_at,
            error=f"never arrived: {outcome.detail}",
        ),
        _hop(
            outcome,
            client_id,
            outcome.failure,
            "shop",
            role,
            error=outcome.detail,
            duration_ms=outcome.duration_ms,
            sent_at=started_at,
        ),
    ]


def _reason(status, sent):
    # The standard phrase: some servers (daphne among them) send "Unknown Status" for 422 or 429.
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return sent


def _read(outcome, response):
    outcome.status, outcome.reason = (
        response.status_code,
        _reason(response.status_code, response.reason_phrase),
    )
    outcome.response_headers = dict(response.headers)
    try:
        outcome.body = response.json()
    except ValueError:
        outcome.body = response.text[:5000]


async def send(http, method, path, *, client_id="console", headers=None, body=""):
    """Send one request to Shop and return what came back (an Outcome), recording client-side failures."""
    base = _base()
    outcome = Outcome(new_uid(), method, base + path, path, {}, body or "")
    sent = {"X-Client-Id": client_id, **(headers or {}), "X-Request-Id": outcome.correlation_id}
    if body and not any(name.lower() == "content-type" for name in sent):
        sent["Content-Type"] = "application/json"
    outcome.request_headers = sent
    started_at, clock = timezone.now(), time.monotonic()
    try:
        _read(
            outcome,
            await http.request(
                method,
                outcome.url,
                headers={**sent, **world_header()},  # the world travels signed, never recorded
                content=body.encode() if body else None,
            ),
        )
    except httpx.ConnectError:
        outcome.failure, outcome.detail = (
            "refused",
            f"connection refused: nothing is listening at {base}",
        )
    except httpx.TimeoutException:
        outcome.failure = "timeout"
        outcome.detail = f"no answer within {switches.CLIENT_TIMEOUT:g} s: the client gave up"
    except httpx.HTTPError as exc:
        outcome.failure, outcome.detail = "refused", f"the connection failed: {exc}"
    outcome.duration_ms = round((time.monotonic() - clock) * 1000, 3)
    if outcome.failure:
        await sync_to_async(record_many)(_failure_hops(outcome, client_id, started_at))
    return outcome


def body_text(value):
    """A JSON body as the client sends it (text), from a dict or already-made text."""
    return value if isinstance(value, str) else json.dumps(value)
