"""What an error looks like.

Under /api/ the answer is always JSON in the API's error shape, whatever went wrong — an unknown
path, a refused Host, a view that failed — so a script never has to read an HTML page: the
handlers below when DEBUG is off, and `api_errors_as_json` for the pages Django makes itself
when DEBUG is on. Elsewhere, with DEBUG off (the playground served beyond this machine), a plain
page that says what happened and nothing of how: no traceback, no settings.
"""

import json

from asgiref.sync import iscoroutinefunction
from django.http import HttpResponse
from django.template import TemplateDoesNotExist, loader
from django.utils.decorators import sync_and_async_middleware
from django.views import defaults

DETAILS = {
    400: ("bad_request", "The request could not be understood."),
    403: ("forbidden", "This is not allowed."),
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This path does not take that method."),
    500: ("server_error", "Something went wrong on the server; the playground's log says what. Try again."),
}


def _json(status, detail=None):
    error, default = DETAILS.get(status, ("error", "The request failed."))
    body = {"error": error, "detail": detail or default}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _api(request):
    return request.path.startswith("/api/")


def bad_request(request, exception):
    return _json(400) if _api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _json(403) if _api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return _json(404, f"No API path {request.path}; /api/docs lists them all.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return _json(500)
    try:  # rendered without the request: its context processors may be what failed
        html = loader.get_template("500.html").render()
    except TemplateDoesNotExist:
        return defaults.server_error(request)
    return HttpResponse(html, status=500)


@sync_and_async_middleware
def api_errors_as_json(get_response):
    """Outermost: an /api/ error that is not JSON yet (DEBUG's technical pages) leaves as JSON."""
    if iscoroutinefunction(get_response):
        async def middleware(request):
            return _as_json(request, await get_response(request))
    else:
        def middleware(request):
            return _as_json(request, get_response(request))
    return middleware


def _as_json(request, response):
    if response.status_code < 400 or not _api(request) or response.get("Content-Type", "").startswith("application/json"):
        return response
    replacement = _json(response.status_code)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            replacement[header] = response[header]
    return replacement
