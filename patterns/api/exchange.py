"""Every call of Shop's API is one exchange of two ledger hops: the request as Shop received it
and the response as Shop sent it, with method, path, status, duration and both bodies checked
against their contracts.

`exchange(spec)` wraps a ninja operation's whole run — so bad input rejected by ninja (400/422),
errors raised by the view, the rate limiter's 429 and the failure switches are all recorded too.
Shop's gate (rate limit, then switches) runs in front of the view, as an API gateway would.
"""

import asyncio
import logging
from dataclasses import dataclass
from functools import wraps

import redis
from django.http import JsonResponse
from ninja.decorators import decorate_view

from patterns.ledger import groupcommit

from . import ratelimit, state, switches
from .messages import Call

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spec:
    kind: str  # the ledger kind: orders.get, orders.create …
    request_contract: str | None = None  # the body's contract (for POST/PATCH)
    response_contract: str | None = None  # the 2xx body's contract; errors are api.error


def _refusal(status, error, detail):
    return JsonResponse({"error": error, "detail": detail}, status=status)


def _gate_pipeline(call, limit):
    pipe = state.client().pipeline(transaction=False)
    ratelimit.queue_take(pipe, call.client_id, limit)
    switches.queue_read(pipe)
    return pipe.execute()


def _read_gate(call):
    """(rate-limit decision, mode) in one Redis round trip. If Redis is gone, Shop fails open:
    better an unlimited API than none (the ledger still records every call)."""
    limit = ratelimit.current()
    try:
        try:
            taken, mode = _gate_pipeline(call, limit)
        except redis.exceptions.NoScriptError:
            ratelimit.load()
            taken, mode = _gate_pipeline(call, limit)
    except redis.RedisError as exc:
        log.warning("Shop's gate cannot reach Redis (%s); letting the request through", exc)
        return None, "healthy", limit
    return ratelimit.decide(taken, limit), mode, limit


def admit(call):
    """Ask the gate: (refusal or None, delay in s, headers). One Redis round trip, no database."""
    decision, mode, limit = _read_gate(call)
    headers = decision.headers(limit) if decision else {}
    if decision and not decision.allowed:
        detail = (
            f"client {call.client_id!r} may make {limit.capacity} requests per {limit.window:g} s; "
            f"try again in {headers['Retry-After']} s"
        )
        return _refusal(429, "rate_limited", detail), 0, headers
    if call.refusal is not None:  # a body Shop cannot read: refused at the gate, as a gateway would
        return call.refusal.response(), 0, headers
    if mode == "erroring":
        return (
            _refusal(500, "internal_error", "Shop failed to answer (the 'erroring' switch is on)"),
            0,
            headers,
        )
    if mode == "down":
        return (
            _refusal(
                503,
                "shop_down",
                "Shop is down (the 'down' switch is on); "
                "a client calling Shop's own address gets 'connection refused'",
            ),
            0,
            headers,
        )
    return None, switches.SLOW_SECONDS if mode == "slow" else 0, headers


async def _answer(run, refusal, delay, request, args, kwargs):
    if refusal is not None:
        return refusal
    if delay:
        await asyncio.sleep(delay)
    return await run(request, *args, **kwargs)


def recorded(spec):
    """A ninja `run` decorator: gate, run, then record both hops in one transaction.

    Both hops are written together, and with the hops of other requests finishing at the same
    time (groupcommit.py). Only when Shop is about to dawdle is the request recorded first, so a
    class sees it arrive and wait.
    """

    def decorator(run):
        @wraps(run)
        async def run_recorded(request, *args, **kwargs):
            call = Call.of(request, spec)
            refusal, delay, headers = admit(call)  # Redis only: quick enough for the event loop
            unrecorded = [call.request_hop()]
            if delay:
                await groupcommit.record(unrecorded)
                unrecorded = []
            try:
                response = await _answer(run, refusal, delay, request, args, kwargs)
            except (
                asyncio.CancelledError
            ):  # the client hung up (e.g. its timeout) while Shop worked
                await asyncio.shield(groupcommit.record([*unrecorded, call.abandoned_hop()]))
                raise
            except Exception as exc:
                await groupcommit.record([*unrecorded, call.crashed_hop(exc)])
                raise
            for name, value in headers.items():
                response[name] = value
            response["X-Request-Id"] = call.correlation_id
            await groupcommit.record([*unrecorded, call.response_hop(response)])
            return response

        return run_recorded

    return decorator


def exchange(kind, request_contract=None, response_contract=None):
    """Mark a Shop operation: every call of it becomes a recorded, gated exchange."""
    return decorate_view(recorded(Spec(kind, request_contract, response_contract)))
