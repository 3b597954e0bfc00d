"""What one HTTP exchange looks like in the ledger: the hops' fields, built from Django's request
and response. Method, path and status travel as HTTP/2-style pseudo-headers (`:method`,
`:path`, `:status`); bodies are the payloads, checked against their contracts."""

import re
import time
from dataclasses import dataclass

from django.utils import timezone

from patterns.contracts import registry as contracts
from patterns.ledger.errors import ApiError
from patterns.ledger.models import new_uid
from patterns.ledger.recorder import storable
from patterns.site import bodies

STYLE = "api"
REQUEST_HEADERS = (
    "content-type",
    "accept",
    "user-agent",
    "x-client-id",
    "x-request-id",
    "idempotency-key",
)
RESPONSE_HEADERS = (
    "content-type",
    "location",
    "link",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "idempotent-replayed",
    "allow",
)
MAX_PAYLOAD = (
    64_000  # bigger bodies are summarised in the ledger (their validity is still checked in full)
)
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def caller_role(client_id):
    """Which node of the stage a caller is: the page's console, the poller, or any other app."""
    if client_id.startswith("console"):
        return "client"
    return "poller" if client_id == "poller" else "app"


clean = storable  # text as every database stores it (no NUL): the ledger's own rule


def client_id_of(request):
    """Who is asking: the X-Client-Id header (documented; like an API key without the secret), else the IP."""
    client_id = request.headers.get("X-Client-Id", "")
    return (
        client_id if CLIENT_ID.match(client_id) else (request.META.get("REMOTE_ADDR") or "unknown")
    )


def _raw(raw):
    return {"raw": clean(raw[:500].decode("utf-8", "replace"))}


def parse_body(raw, contract):
    """(payload, valid, error) for a body: JSON objects are checked against `contract`."""
    if not raw:
        return {}, *_checked(contract, {})
    try:
        value = bodies.loads(raw)
    except ApiError as exc:
        return _raw(raw), False, exc.detail
    return _described(value, raw, contract)


def parse_request(request, contract):
    """(payload, valid, error, refusal) for a request's body, read the one way bodies come in: a
    body Shop refuses (not JSON, too deep, NaN …) is recorded as text with the refusal."""
    if request.method not in bodies.UNSAFE:
        return (*parse_body(request.body, contract), None)
    try:
        value = bodies.read_json(request)
    except ApiError as refused:  # too large: not read at all, so only the refusal is recorded
        payload = {} if refused.status == 413 else _raw(request.body)
        return payload, False, refused.detail, refused
    if value is None:
        return {}, *_checked(contract, {}), None
    return (*_described(value, request.body, contract), None)


def _described(value, raw, contract):
    if not isinstance(value, dict):
        return (
            {"body": clean(value)} if len(raw) <= MAX_PAYLOAD else {},
            False,
            "the body must be a JSON object",
        )
    valid, error = _checked(contract, value)
    if len(raw) > MAX_PAYLOAD:
        value = {"truncated": True, "bytes": len(raw)}
    return clean(value), valid, clean(error)


def _checked(contract, value):
    if not contract:
        return None, ""
    valid, problem = contracts.check(contract, value)
    return valid, f"contract {contract}: {problem}" if problem else ""


def _pick(headers, names):
    return {name: clean(str(headers[name])[:200]) for name in names if headers.get(name)}


@dataclass
class Call:
    kind: str
    method: str
    path: str
    client_id: str
    correlation_id: str
    request_headers: dict
    request_contract: str
    payload: dict
    valid: bool | None
    error: str
    response_contract: str | None
    started_at: object
    clock: float
    refusal: ApiError | None = None  # the body was refused: Shop answers that, and records it

    @classmethod
    def of(cls, request, spec):
        headers = {k.lower(): v for k, v in request.headers.items()}
        client_id = client_id_of(request)
        correlation_id = headers.get("x-request-id", "")
        if not REQUEST_ID.match(correlation_id):
            correlation_id = new_uid()
        body_contract = (
            spec.request_contract if request.method in ("POST", "PUT", "PATCH") else None
        )
        payload, valid, error, refusal = parse_request(request, body_contract)
        pseudo = {":method": request.method, ":path": clean(request.get_full_path()[:500])}
        return cls(
            spec.kind,
            request.method,
            request.path,
            client_id,
            correlation_id,
            pseudo | _pick(headers, REQUEST_HEADERS),
            body_contract or "",
            payload,
            valid,
            error,
            spec.response_contract,
            timezone.now(),
            time.monotonic(),
            refusal,
        )

    @property
    def role(self):
        return caller_role(self.client_id)

    def _hop(self, hop, source, target, **fields):
        return {
            "style": STYLE,
            "kind": self.kind,
            "hop": hop,
            "source": source,
            "target": target,
            "correlation_id": self.correlation_id,
            "uid": new_uid(),
            **fields,
        }

    def request_hop(self):
        # A body that breaks its contract is marked as an error already on its way in.
        return self._hop(
            "request",
            self.role,
            "shop",
            payload=self.payload,
            headers=self.request_headers,
            contract=self.request_contract,
            valid=self.valid,
            error=self.error,
            status="error" if self.valid is False else "ok",
            sent_at=self.started_at,
        )

    def duration_ms(self):
        return round((time.monotonic() - self.clock) * 1000, 3)

    def response_hop(self, response):
        status = response.status_code
        headers = {":status": str(status)} | _pick(
            {k.lower(): v for k, v in response.items()}, RESPONSE_HEADERS
        )
        contract = self.response_contract if status < 400 else "api.error"
        payload, valid, error = parse_body(response.content, contract if status != 204 else None)
        return self._hop(
            "response",
            "shop",
            self.role,
            payload=payload,
            headers=headers,
            contract=contract or "",
            valid=valid,
            error=error,
            status="ok" if status < 400 else "error",
            status_code=status,
            duration_ms=self.duration_ms(),
            sent_at=self.started_at,
        )

    def abandoned_hop(self):
        return self._hop(
            "abandoned",
            "shop",
            self.role,
            status="error",
            duration_ms=self.duration_ms(),
            error="the client hung up before Shop answered; the answer was never sent",
            sent_at=self.started_at,
        )

    def crashed_hop(self, exc):
        return self._hop(
            "response",
            "shop",
            self.role,
            status="error",
            status_code=500,
            duration_ms=self.duration_ms(),
            error=f"Shop crashed: {type(exc).__name__}",
            sent_at=self.started_at,
        )


ROUTES = [  # (method, path pattern) -> the ledger kind, as Shop's API names its operations
    ("GET", re.compile(r"^/api/shop/orders/?$"), "orders.list"),
    ("POST", re.compile(r"^/api/shop/orders/?$"), "orders.create"),
    ("GET", re.compile(r"^/api/shop/orders/[^/]+/?$"), "orders.get"),
    ("PATCH", re.compile(r"^/api/shop/orders/[^/]+/?$"), "orders.status"),
    ("GET", re.compile(r"^/api/shop/customers/?$"), "customers.list"),
    ("GET", re.compile(r"^/api/shop/customers/[^/]+/?$"), "customers.get"),
]


def kind_of(method, path):
    """The kind of an exchange seen from the client side (which never reached Shop to be told)."""
    path = path.split("?", 1)[0]
    for route_method, pattern, kind in ROUTES:
        if method == route_method and pattern.match(path):
            return kind
    return "unknown"
