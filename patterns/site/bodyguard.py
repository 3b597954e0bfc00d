"""The door of every guarded path (/api/, the webhook receiver …): bodies checked before any view
runs, and errors always answered in JSON.

- `refuse_at_door` (called by playground/asgi_handler.py with the ASGI scope) answers an oversized or
  unmeasured body before Django reads it: a 20 MB upload costs the server no more than a 4 xx.
- `BodyMiddleware` (first in settings.MIDDLEWARE after security) does the same check for any other
  server (tests' client, WSGI), reads and checks the body once (bodies.read) unless the view reads
  it itself, turns an ApiError raised outside ninja into its JSON answer, and turns any error page
  under a guarded path (Django's HTML 400/404/500, a traceback) into the API's JSON error shape.
"""

import json
import logging

from django.http import JsonResponse

from patterns.ledger.errors import ApiError

from . import bodies

log = logging.getLogger(__name__)

GENERIC = {
    400: ("bad_request", "the request could not be read"),
    403: ("forbidden", "this request is not allowed"),
    404: ("not_found", "no such resource; see /api/docs"),
    405: ("method_not_allowed", "this method is not allowed here"),
    413: ("too_large", "the body is too large"),
    500: ("internal_error", "the server failed to answer this request; the error has been logged"),
}


async def refuse_at_door(scope, send):
    """Answer a refused request from its headers alone; True when it was answered."""
    headers = dict(scope.get("headers") or [])
    length = headers.get(b"content-length")
    refused = bodies.refused_at_door(
        scope.get("path", ""),
        length.decode("latin-1").strip() if length is not None else None,
        b"transfer-encoding" in headers,
    )
    if refused is None:
        return False
    await send(
        {
            "type": "http.response.start",
            "status": refused.status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(refused.body()).encode()})
    return True


def _is_json(response):
    return response.get("Content-Type", "").split(";")[0].strip().endswith(("/json", "+json"))


def as_json(response):
    """An error answer in the API's shape, whatever produced it (never HTML, never a traceback)."""
    if response.status_code < 400 or _is_json(response) or getattr(response, "streaming", False):
        return response
    status = response.status_code
    error, detail = GENERIC.get(
        status, ("internal_error" if status >= 500 else "error", response.reason_phrase)
    )
    answer = JsonResponse({"error": error, "detail": detail}, status=status)
    for name in ("Allow", "Retry-After"):
        if response.has_header(name):
            answer[name] = response[name]
    return answer


class BodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rule = bodies.rule_for(request.path_info)
        if rule is None:
            return self.get_response(request)
        refused = bodies.refused_at_door(
            request.path_info,
            request.META.get("CONTENT_LENGTH"),
            "HTTP_TRANSFER_ENCODING" in request.META,
        )
        try:
            if refused:
                raise refused
            if not rule.read_by_view:
                bodies.read(request)
        except ApiError as exc:
            return exc.response()
        return as_json(self.get_response(request))

    def process_exception(self, request, exc):
        """An ApiError from a plain view under a guarded path: its answer, not a 500 page."""
        if isinstance(exc, ApiError) and bodies.rule_for(request.path_info):
            return exc.response()
        return None
