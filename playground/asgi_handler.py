"""Django's ASGI handler, with a synchronous view's whole request run in one trip to a thread.

Stock Django runs the middleware chain in async mode, and each synchronous step of it (every
built-in middleware's process_request and process_response, ours, process_view, the view) is a
separate trip from daphne's event loop to the request's thread and back. With 200 pages on the
live feed the loop is busy and each trip waits its turn: under bench/load.py page loads took
128 ms at the median and 391 ms at p95 (17 ms on an idle server); with one trip, 69 ms and 226 ms.

Async views (the Request/response API, the Direct database dashboard) keep stock Django: they
run on the event loop, without a thread, and are cancelled when the client hangs up.
"""

from functools import lru_cache

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.urls import Resolver404, get_resolver

from patterns.site.bodyguard import refuse_at_door


class OneTripASGIHandler(ASGIHandler):
    """The middleware chain in sync mode, called once through sync_to_async."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


class PlaygroundASGIHandler:
    def __init__(self):
        self.sync_views = OneTripASGIHandler()
        self.async_views = ASGIHandler()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and await refuse_at_door(scope, send):
            return  # an oversized body is refused before Django reads a byte of it
        handler = (
            self.async_views
            if scope["type"] == "http" and is_async_view(scope["path"])
            else self.sync_views
        )
        await handler(scope, receive, send)


@lru_cache(maxsize=4096)
def is_async_view(path):
    try:
        return iscoroutinefunction(get_resolver().resolve(path).func)
    except Resolver404:
        return False
