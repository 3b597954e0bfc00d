"""The Origin check for every WebSocket: a page may open one only from the playground itself.

A browser lets any page open a WebSocket to any server, carrying that server's cookies; the only
sign of where the page came from is its Origin. Channels' AllowedHostsOriginValidator compares
the Origin's host with ALLOWED_HOSTS and ignores scheme and port, so a page on another port of the
same machine (a student's own server on the classroom host, say) passed. Here the Origin must be
the request's own origin — scheme, host and port, as Django's CSRF check compares them — served
under an allowed Host, or one of CSRF_TRUSTED_ORIGINS (behind a proxy that rewrites Host).

A browser cannot set a WebSocket's headers, so Host and X-Forwarded-Proto are the browser's and
the proxy's, never the foreign page's. Daphne puts no scheme in a WebSocket's scope; behind an
HTTPS proxy, X-Forwarded-Proto says it.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import is_same_domain, split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


class SameOriginValidator:
    """ASGI middleware: a WebSocket whose Origin is not the playground's is refused (403)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)


def allowed(scope):
    headers = _headers(scope)
    origin = parse_origin(headers.get("origin", ""))
    if origin is None:
        return False
    own = own_origin(scope, headers)
    if own is not None and origin == own:
        return True
    return any(_trusted(origin, pattern) for pattern in settings.CSRF_TRUSTED_ORIGINS)


def parse_origin(text):
    """(scheme, host, port) of an origin such as "http://127.0.0.1:8000", or None."""
    try:
        parts = urlsplit(text.strip().lower())
        scheme, host, port = parts.scheme, parts.hostname, parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def own_origin(scope, headers):
    """The origin the page was served from: this request's scheme and (allowed) Host."""
    host = headers.get("host", "")
    if not validate_host(split_domain_port(host)[0], _allowed_hosts()):
        return None
    scheme = scope.get("scheme") or headers.get("x-forwarded-proto", "ws").split(",")[0].strip()
    scheme = WEB_SCHEMES.get(scheme.lower())
    return parse_origin(f"{scheme}://{host}") if scheme else None


def _trusted(origin, pattern):
    """As Django reads CSRF_TRUSTED_ORIGINS: "https://*.example.com" allows every subdomain."""
    trusted = parse_origin(pattern.replace("://*.", "://", 1))
    if trusted is None:
        return False
    scheme, host, port = trusted
    if "://*." in pattern:
        host = "." + host
    return origin[0] == scheme and origin[2] == port and is_same_domain(origin[1], host)


def _allowed_hosts():
    if settings.DEBUG and not settings.ALLOWED_HOSTS:  # as Django itself does
        return [".localhost", "127.0.0.1", "[::1]"]
    return settings.ALLOWED_HOSTS


def _headers(scope):
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }
