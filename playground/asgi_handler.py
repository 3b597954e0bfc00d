"""Django's ASGI handler, with a synchronous view's whole request run in one trip to a thread.

Stock Django runs the middleware chain in async mode, and each synchronous step of it (every
built-in middleware's process_request and process_response, ours, process_view, the view) is a
separate trip from daphne's event loop to the request's thread and back. With 200 pages on the
live feed the loop is busy and each trip waits its turn: under bench/load.py page loads took
128 ms at the median and 391 ms at p95 (17 ms on an idle server); with one trip, 69 ms and 226 ms.

Async views (the Request/response API, the Direct database dashboard) keep stock Django: they
run on the event loop, without a thread, and are cancelled when the client hangs up.

Either way a request's synchronous work runs on a thread of its own. Stock Django starts a new
thread for every request and joins it afterwards, and both wait on the event loop: under
bench/api.py they were a fifth of the web process's time. Here finished requests hand their
thread to the next one (RequestThreads).
"""

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from asgiref.sync import SyncToAsync, ThreadSensitiveContext, iscoroutinefunction, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.urls import Resolver404, get_resolver

from patterns.site.bodyguard import refuse_at_door


class OneTripASGIHandler(ASGIHandler):
    """The middleware chain in sync mode, called once through sync_to_async."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


class AsyncViewsASGIHandler(ASGIHandler):
    """Stock Django for async views, except that the process_view hooks (the CSRF checks) run on
    the event loop: they only read the request, and each was a trip to the request's thread and
    back. A hook that queried the database there would fail loudly (Django refuses database work
    on the loop) rather than block it."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=True)
        self._view_middleware = [_on_the_loop(hook) for hook in self._view_middleware]

    def resolve_request(self, request):
        """The match is_async_view found for this path already (no per-request URLconf here)."""
        if hasattr(request, "urlconf"):
            return super().resolve_request(request)
        request.resolver_match = resolved(request.path_info)
        return request.resolver_match


def _on_the_loop(hook):
    if not isinstance(hook, SyncToAsync):
        return hook
    plain = hook.func

    async def run(request, view, args, kwargs):
        return plain(request, view, args, kwargs)

    return run


class RequestThreads:
    """One thread per request at a time, as Django wants (its thread-sensitive work, database
    connections included, stays on it), taken from the threads of finished requests. A thread
    goes back only once it is idle: sync work a request left running when its client hung up
    finishes first, so it never delays the next request."""

    def __init__(self, keep=64):
        self.idle, self.keep = [], keep

    def take(self):
        try:
            return self.idle.pop()
        except IndexError:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def give_back(self, executor):
        try:
            idle = executor.submit(lambda: None)
        except RuntimeError:  # the interpreter is shutting down its executors: nothing to keep
            return
        idle.add_done_callback(lambda _: self._idle_again(executor))

    def _idle_again(self, executor):
        if len(self.idle) < self.keep:
            self.idle.append(executor)
        else:
            executor.shutdown(wait=False)


class PlaygroundASGIHandler:
    def __init__(self):
        self.sync_views = OneTripASGIHandler()
        self.async_views = AsyncViewsASGIHandler()
        self.threads = RequestThreads()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.sync_views(scope, receive, send)
        if await refuse_at_door(scope, send):
            return  # an oversized body is refused before Django reads a byte of it
        handler = self.async_views if is_async_view(scope["path"]) else self.sync_views
        executor = self.threads.take()
        try:
            # Outermost, so Django's own ThreadSensitiveContext inside uses this thread.
            async with ThreadSensitiveContext(executor=executor):
                await handler(scope, receive, send)
        finally:
            self.threads.give_back(executor)


@lru_cache(maxsize=4096)
def resolved(path):
    """Django's match for `path`, found once: a path under /api/ is tried against every route."""
    return get_resolver().resolve(path)


def is_async_view(path):
    try:
        return iscoroutinefunction(resolved(path).func)
    except Resolver404:
        return False
