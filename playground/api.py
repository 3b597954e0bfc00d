"""The public JSON API under /api/, documented at /api/openapi.json and browsable at /api/docs.

Each app contributes a ninja `router` in its `api.py`, mounted at /api/<style key>/ (or its `PREFIX`; the ledger's
at /api/). Every error leaves as {"error", "detail", "field"?} with a 4xx status.
"""

import importlib
import importlib.util

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from patterns.ledger.errors import ApiError, from_validation
from patterns.ledger.styles import STYLES

api = NinjaAPI(
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


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, ApiError(404, "not_found", str(exc) or "no such resource"))


def _mount_routers():
    from patterns.ledger.api import router as ledger_router

    api.add_router("", ledger_router)
    prefixes = {style.app: style.key for style in STYLES}
    for app in settings.STYLE_APPS:
        if importlib.util.find_spec(f"{app}.api"):
            module = importlib.import_module(f"{app}.api")
            prefix = getattr(module, "PREFIX", None) or prefixes.get(app) or app.rsplit(".", 1)[-1]
            api.add_router(f"/{prefix}/", module.router)
            api.openapi_extra.update(getattr(module, "OPENAPI_EXTRA", {}))  # e.g. an OpenAPI `webhooks` section


_mount_routers()
