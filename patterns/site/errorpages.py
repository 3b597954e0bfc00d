"""What an error looks like.

Under /api/ the answer is always JSON in the API's error shape, whatever went wrong — an unknown
path, a refused Host, a view that failed — so a script never has to read an HTML page: the
handlers below when DEBUG is off, and the body guard's middleware (bodyguard.as_json) for the
pages Django makes itself when DEBUG is on. Elsewhere, with DEBUG off (the playground served
beyond this machine), a plain page that says what happened and nothing of how: no traceback.
"""

from django.http import HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.views import defaults

from .bodyguard import GENERIC


def _json(status, detail=None):
    error, default = GENERIC.get(status, ("error", "the request failed"))
    return JsonResponse({"error": error, "detail": detail or default}, status=status)


def _api(request):
    return request.path.startswith("/api/")


def bad_request(request, exception):
    return _json(400) if _api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _json(403) if _api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return _json(404, f"no API path {request.path}; /api/docs lists them all")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return _json(500)
    try:  # rendered without the request: its context processors may be what failed
        html = loader.get_template("500.html").render()
    except TemplateDoesNotExist:
        return defaults.server_error(request)
    return HttpResponse(html, status=500)
