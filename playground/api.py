"""The public JSON API under /api/, documented at /api/openapi.json and browsable at /api/docs.

Each app declares its ninja routers (patterns.site.styles), mounted at /api/<prefix>/ by the
loop in plugins.py. Every error leaves as {"error", "detail", "field"?} with a 4xx status.
"""

import logging

import kombu.exceptions
import redis.exceptions
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from patterns.ledger.errors import ApiError, from_validation
from patterns.site import bodies

from .plugins import openapi_extenders, routers

log = logging.getLogger(__name__)


class BodyParser(Parser):
    """Bodies come in one way (patterns/site/bodies.py): size, type, depth, NaN, long integers."""

    def parse_body(self, request):
        if not request.META:  # ninja's stand-in request for one multipart field
            return bodies.loads(request.body)
        return bodies.read_json(request)


class PlaygroundAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document apps may extend (their declared `openapi` callables): the
    webhooks section, the rooms' parameters, Shop's rate-limit headers."""

    extenders = []

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _status_codes_as_strings(schema)
        for extend in self.extenders:
            extend(schema)
        return schema


def _status_codes_as_strings(schema):
    """OpenAPI's response keys are strings; ninja writes ints. Mixed, an extender's "404" stood beside
    ninja's 404 and the JSON document held the key twice, which Swagger UI refuses to render."""
    for section in ("paths", "webhooks"):
        for item in (schema.get(section) or {}).values():
            for operation in item.values():
                if isinstance(operation, dict) and isinstance(operation.get("responses"), dict):
                    operation["responses"] = {
                        str(code): r for code, r in operation["responses"].items()
                    }


api = PlaygroundAPI(
    title="Communication Playground API",
    version="1",
    description=(
        "Everything a button in the playground does, a script can do here. Every message of "
        "every style is recorded in the ledger (`GET /api/messages`). Errors are JSON "
        '`{"error": code, "detail": text, "field": name}` with a 4xx status.'
    ),
    urls_namespace="api",
    parser=BodyParser(),
    # No deep links: Swagger UI puts each one, a link, inside the operation's toggle button, a
    # control inside a control that keyboards and screen readers meet twice (WCAG 4.1.2).
    docs=Swagger(settings={"deepLinking": False}),
)


def _error(request, exc):
    response = api.create_response(request, exc.body(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def api_error(request, exc):
    return _error(request, exc)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return _error(request, from_validation(exc.errors))


@api.exception_handler(HttpError)
def http_error(request, exc):
    if isinstance(exc.__cause__, ApiError):  # ninja wraps what the body parser raised in a 400
        return _error(request, exc.__cause__)
    code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 405: "method_not_allowed"}
    return _error(request, ApiError(exc.status_code, code.get(exc.status_code, "error"), str(exc)))


@api.exception_handler(redis.exceptions.ConnectionError)
@api.exception_handler(redis.exceptions.TimeoutError)
@api.exception_handler(kombu.exceptions.OperationalError)
def backing_service_down(request, exc):
    """Redis (or the broker) is down: a clear 503 that names it, never a 500 page. Actions that can
    wait (jobs, webhook events) do not get here: they wait in an outbox."""
    what = "the broker" if isinstance(exc, kombu.exceptions.OperationalError) else "Redis"
    return _error(
        request,
        ApiError(
            503,
            "redis_unreachable" if what == "Redis" else "broker_unreachable",
            f"{what} cannot be reached, so this cannot be done now. "
            "/health shows what is down; try again when it is back.",
        ),
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, ApiError(404, "not_found", str(exc) or "no such resource"))


@api.exception_handler(DataError)
def unstorable(request, exc):
    """A value the database cannot hold or compare (a NUL, a number out of range, text too long
    for its column on PostgreSQL) that no check in front caught: the request's fault, so a 400."""
    log.warning(
        "the database refused a value answering %s %s: %s", request.method, request.path, exc
    )
    return _error(
        request,
        ApiError(400, "unstorable", f"the database cannot hold a value in this request: {exc}"),
    )


@api.exception_handler(Exception)
def internal_error(request, exc):
    """Anything else: a JSON 500 without the traceback (ninja's own shows it when DEBUG is on).
    The traceback goes to the log; no input should ever get here."""
    log.error("internal error answering %s %s", request.method, request.path, exc_info=exc)
    return _error(
        request,
        ApiError(
            500,
            "internal_error",
            "the server failed to answer this request; the error has been logged",
        ),
    )


def _mount_routers():
    for prefix, router in routers():
        api.add_router(f"/{prefix}/" if prefix else "", router)
    api.extenders.extend(openapi_extenders())


_mount_routers()
