"""ASGI entry point: HTTP through Django, WebSockets through Channels (origin-checked).

Each app may contribute WebSocket routes in `routing.py` as `websocket_urlpatterns`.
"""

import functools
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
django.setup(set_prefix=False)  # before consumers are imported

from playground.asgi_handler import PlaygroundASGIHandler  # noqa: E402

# Stock Django's ASGI handler, but a synchronous view's request makes one trip to a thread
# instead of one per middleware step (playground/asgi_handler.py).
django_asgi_app = PlaygroundASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from patterns.rooms.sockets import SocketGuard  # noqa: E402
from playground.origin import SameOriginValidator  # noqa: E402
from playground.plugins import websocket_routes  # noqa: E402


def _plain_autobahn_debug_text():
    """autobahn (daphne's WebSocket engine) formats a debug line for every frame it sends, even
    with debug logging off, and colours it with click when click is installed (Celery brings it):
    6% of the web process's CPU with 200 pages on the feed (py-spy, bench/classroom.py). Plain
    text costs a fraction of that; nothing is lost, since the line is never logged."""
    try:
        import autobahn.util
    except ImportError:
        return
    autobahn.util._HAS_CLICK = False


_plain_autobahn_debug_text()


def _forms_left_to_django():
    """Twisted (under daphne) parses every multipart or form POST itself, in the reactor's one
    thread, before daphne hands the request on (and throws the result away): a 20 MB upload held
    every other request for seconds, and a form twisted could not parse got its bare 400 page.
    Django parses a body when, and if, a view needs it (patterns/site/bodies.py)."""
    try:
        from daphne.http_protocol import WebRequest
    except ImportError:
        return
    WebRequest.__init__ = functools.partialmethod(
        WebRequest.__init__, parsePOSTFormSubmission=False
    )


_forms_left_to_django()


application = ProtocolTypeRouter(
    {
        # Static files are served by the app itself: no CDN and no separate web server needed.
        "http": ASGIStaticFilesHandler(django_asgi_app),
        # A foreign page must not open any of our sockets: the Origin must be the playground's own
        # (scheme, host and port; playground/origin.py). Every socket then runs in the world its
        # ?room= names, and one naming an unknown room is told so and closed.
        "websocket": SameOriginValidator(SocketGuard(URLRouter(websocket_routes()))),
    }
)
