"""The public JSON API under /api/, documented at /api/openapi.json and browsable at /api/docs.

Each app contributes a ninja `router` in its `api.py`, mounted at /api/<style key>/ (or its `PREFIX`; the ledger's
at /api/). Every error leaves as {"error", "detail", "field"?} with a 4xx status.
"""

import importlib
import importlib.util
import logging

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from patterns.ledger import bodies
from patterns.ledger.errors import ApiError, from_validation
from patterns.ledger.styles import STYLES

log = logging.getLogger(__name__)


class BodyParser(Parser):
    """Bodies come in one way (patterns/ledger/bodies.py): size, type, depth, NaN, long integers."""

    def parse_body(self, request):
        if not request.META:  # ninja's stand-in request for one multipart field
            return bodies.loads(request.body)
        return bodies.read_json(request)


class PlaygroundAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document apps may extend: the contracts add the `webhooks` section,
    and a style's api.py may define `extend_openapi(schema)` for its own conventions."""

    extenders = []

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for extend in self.extenders:
            extend(schema)
        return schema


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
)


def _error(request, exc):
    return api.create_response(request, exc.body(), status=exc.status)


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
    return _error(request, ApiError(503, "redis_unreachable" if what == "Redis" else "broker_unreachable",
                                    f"{what} cannot be reached, so this cannot be done now. "
                                    "/health shows what is down; try again when it is back."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, ApiError(404, "not_found", str(exc) or "no such resource"))


@api.exception_handler(DataError)
def unstorable(request, exc):
    """A value the database cannot hold or compare (a NUL, a number out of range, text too long
    for its column on PostgreSQL) that no check in front caught: the request's fault, so a 400."""
    log.warning("the database refused a value answering %s %s: %s", request.method, request.path, exc)
    return _error(request, ApiError(400, "unstorable", f"the database cannot hold a value in this request: {exc}"))


@api.exception_handler(Exception)
def internal_error(request, exc):
    """Anything else: a JSON 500 without the traceback (ninja's own shows it when DEBUG is on).
    The traceback goes to the log; no input should ever get here."""
    log.error("internal error answering %s %s", request.method, request.path, exc_info=exc)
    return _error(request, ApiError(500, "internal_error", "the server failed to answer this request; "
                                                           "the error has been logged"))


def _mount_routers():
    from patterns.contracts.api import router as contracts_router
    from patterns.contracts.documents import extend_openapi
    from patterns.ledger.api import router as ledger_router

    api.add_router("", ledger_router)
    api.add_router("", contracts_router)
    api.extenders.append(extend_openapi)
    prefixes = {style.app: style.key for style in STYLES}
    for app in settings.STYLE_APPS:
        if importlib.util.find_spec(f"{app}.api"):
            module = importlib.import_module(f"{app}.api")
            prefix = getattr(module, "PREFIX", None) or prefixes.get(app) or app.rsplit(".", 1)[-1]
            api.add_router(f"/{prefix}/", module.router)
            api.openapi_extra.update(getattr(module, "OPENAPI_EXTRA", {}))  # e.g. an OpenAPI `webhooks` section
            # A style may serve more than one API (e.g. Shop's at /api/shop/, its controls at /api/api/).
            for extra_prefix, extra_router in getattr(module, "MORE_ROUTERS", {}).items():
                api.add_router(f"/{extra_prefix}/", extra_router)
            if hasattr(module, "extend_openapi"):
                api.extenders.append(module.extend_openapi)


_mount_routers()
