"""Calling Shop's data access from the async API: off the event loop, with Shop's refusals
turned into the API's error shape (404 names the id, 409 says which moves are possible)."""

from functools import wraps

from asgiref.sync import sync_to_async

from patterns.ledger.errors import ApiError
from patterns.shop import store


def _guarded(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except store.BadTransition as exc:
        raise ApiError(409, "impossible_transition", str(exc), "status") from None


async def in_shop(fn, *args, **kwargs):
    """Run one of Shop's (synchronous, database) functions without blocking the event loop."""
    return await sync_to_async(_guarded)(fn, *args, **kwargs)


def not_found(field, fn):
    """`fn`, with Shop's NotFound answered as a 404 naming the `field` at fault."""

    @wraps(fn)
    def lookup(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except store.NotFound as exc:
            raise ApiError(404, "not_found", str(exc), field) from None

    return lookup
