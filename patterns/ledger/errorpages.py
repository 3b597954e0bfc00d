"""What an error looks like when DEBUG is off (the playground served beyond this machine).

Under /api/ the answer is always JSON in the API's error shape, whatever went wrong — an unknown
path, a refused Host, a view that failed — so a script never has to read an HTML page. Elsewhere
a plain page that says what happened and nothing of how: no traceback, no settings.
"""

import json
import logging

from django.http import HttpResponse
from django.template import TemplateDoesNotExist, loader
from django.views import defaults

log = logging.getLogger(__name__)

DETAILS = {
    400: ("bad_request", "The request could not be understood."),
    403: ("forbidden", "This is not allowed."),
    404: ("not_found", "No such resource."),
    500: ("server_error", "Something went wrong on the server; the playground's log says what. Try again."),
}


def _json(status, detail=None):
    error, default = DETAILS[status]
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
