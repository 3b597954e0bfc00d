"""CSRF for the JSON API.

django-ninja marks its views CSRF-exempt so scripts and curl can POST without a token. A browser
is different: it sends cookies and an Origin header, and a foreign page could make it POST to
the playground. So an unsafe /api/ request that comes from a browser gets Django's full CSRF
check (token and origin); a script (no cookies, no Origin) does not need one.
"""

import json

from django.http import HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.deprecation import MiddlewareMixin
from django.views.csrf import csrf_failure as django_csrf_failure

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
BROWSER_HEADERS = ("HTTP_ORIGIN", "HTTP_SEC_FETCH_SITE", "HTTP_COOKIE")


def _checked_view(request):  # stands for the API view: not exempt, so the check runs
    raise AssertionError("never called")


class ApiCsrfMiddleware(MiddlewareMixin):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.csrf = CsrfViewMiddleware(get_response)

    def process_view(self, request, view, args, kwargs):
        if not request.path.startswith("/api/") or request.method in SAFE_METHODS:
            return None
        if not any(request.META.get(header) for header in BROWSER_HEADERS):
            return None
        return self.csrf.process_view(request, _checked_view, args, kwargs)


def csrf_failure(request, reason=""):
    """JSON for the API (a 403 in the API's error shape), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {
            "error": "csrf_failed",
            "detail": f"CSRF check failed: {reason}. Reload the page and try again.",
        }
        return HttpResponseForbidden(json.dumps(body), content_type="application/json")
    return django_csrf_failure(request, reason)
