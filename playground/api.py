"""The public JSON API under /api/, documented at /api/openapi.json and browsable at /api/docs.

Each app contributes a ninja `router` in its `api.py`, mounted at /api/<style key>/ (or its `PREFIX`; the ledger's
at /api/). Every error leaves as {"error", "detail", "field"?} with a 4xx status.
"""

import importlib
import importlib.util

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from patterns.ledger.errors import ApiError, from_validation
from patterns.ledger.styles import STYLES

class PlaygroundAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document apps may extend: the contracts add the `webhooks` section,
    and a style's api.py may define `extend_openapi(schema)` for its own conventions."""

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
                    operation["responses"] = {str(code): r for code, r in operation["responses"].items()}


api = PlaygroundAPI(
    title="Communication Playground API",
    version="1",
    description=(
        "Everything a button in the playground does, a script can do here. Every message of "
        "every style is recorded in the ledger (`GET /api/messages`). Errors are JSON "
        '`{"error": code, "detail": text, "field": name}` with a 4xx status.'
    ),
    urls_namespace="api",
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
