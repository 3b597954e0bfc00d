"""Delivery attempts, for real: claim, sign, POST, record what happened.

Claiming is one conditional UPDATE per delivery (pending, enabled endpoint, the dispatch number
this job was given), so two copies of a job, or a job and a sweep, never make two requests. Every
attempt is two ledger hops: "attempt" when the request leaves, "answer" when the outcome is known.
A batch shares its transactions: under load, a worker sends many at once for the cost of a few.
A batch may hold several worlds' deliveries (a sweep; fresh ones taken along): each is prepared,
sent and recorded in its event's world, never in the world of the job that carried it.
"""

import json
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass

import httpx
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from patterns.ledger.roomctx import in_room, world_header

from . import endpoints, ladder, results, signing, urlcheck, wire
from .models import Delivery, Endpoint

EXCERPT = 200


@dataclass
class Outcome:
    status_code: int | None
    ok: bool
    duration_ms: float
    response: str = ""
    error: str = ""
    retry_after: float | None = None


def post(url, body, headers, timeout, check_url=True):
    """The HTTP request. Never raises: a timeout or a refused connection is an Outcome too."""
    started = time.perf_counter()
    elapsed = lambda: round((time.perf_counter() - started) * 1000, 3)  # noqa: E731
    try:
        if (
            check_url
        ):  # again at send time (a name may point elsewhere by now), and sent where checked
            response = wire.post_pinned(urlcheck.check(url), body.encode(), headers, timeout)
        else:
            response = wire.post(url, body.encode(), headers, timeout)
    except urlcheck.BadUrl as exc:
        return Outcome(None, False, elapsed(), error=f"not sent: {exc}")
    except httpx.TimeoutException:
        return Outcome(None, False, elapsed(), error=f"no answer within the {timeout:g} s timeout")
    except httpx.ConnectError as exc:
        return Outcome(None, False, elapsed(), error=f"could not connect: {_reason(exc)}")
    except httpx.HTTPError as exc:
        return Outcome(None, False, elapsed(), error=f"the connection failed: {_reason(exc)}")
    ok = 200 <= response.status_code < 300
    return Outcome(
        response.status_code,
        ok,
        elapsed(),
        response.text[:EXCERPT],
        "" if ok else f"answered {response.status_code} {response.reason_phrase}",
        ladder.retry_after_seconds(response.headers.get("retry-after")),
    )


def _reason(exc):
    text = str(exc) or type(exc).__name__
    return "connection refused (nothing is listening)" if "refused" in text.lower() else text[:120]


@dataclass
class Sending:
    """One attempt on its way: what was claimed, signed and recorded before the request left."""

    delivery: Delivery
    number: int
    sent_at: object
    url: str
    headers: dict


def claim(jobs):
    """Take each (delivery id, dispatch number) that is still ours to send; sign it and record its
    "attempt" hop. One transaction for the whole batch."""
    now = timezone.now()
    lease = timezone.timedelta(seconds=ladder.timeout() + 30)  # a worker that dies mid-attempt
    with transaction.atomic():
        # Conditions on the row itself, not through a join: PostgreSQL re-checks them after waiting
        # for a competing claim's lock (a join would become `id IN (subquery)`, checked on a stale
        # snapshot, and both claims would win).
        enabled = Endpoint.objects.filter(disabled=False).values("id")
        ids = [
            delivery_id
            for delivery_id, token in jobs
            if Delivery.objects.filter(
                id=delivery_id,
                state=Delivery.State.PENDING,
                dispatch=token,
                endpoint_id__in=enabled,
            ).update(
                dispatch=F("dispatch") + 1, attempts=F("attempts") + 1, next_attempt_at=now + lease
            )
        ]
        if len(ids) < len(jobs):  # written by an event fired while its endpoint was being deleted?
            endpoints.cancel_deleted(Delivery.objects.filter(id__in=[job[0] for job in jobs]))
        if not ids:  # a stale job: someone else sent these already
            return []
        sendings = [
            _prepare(d, now)
            for d in Delivery.objects.select_related("event", "endpoint").filter(id__in=ids)
        ]
        results.record_in_worlds([(s.delivery.event.world, _attempt_hop(s)) for s in sendings])
    return sendings


def _prepare(delivery, now):
    event, endpoint = delivery.event, delivery.endpoint
    headers = signing.headers(
        event.event_id, now, event.body, endpoints.secrets_in_use(endpoint, now)
    )
    with in_room(event.world):  # Shop's address depends on its world's receiver (offline?)
        url = endpoints.target_url(endpoint)
    return Sending(delivery, delivery.attempts, now, url, headers)


def _attempt_hop(s):
    event = s.delivery.event
    return {
        "style": "webhooks",
        "kind": event.type,
        "correlation_id": event.event_id,
        "uid": f"{s.delivery.uid}-{s.number}-attempt",
        "hop": "attempt",
        "source": event.source,
        "target": s.delivery.endpoint.node,
        "status": "pending",
        "attempt": s.number,
        "payload": json.loads(event.body),
        "headers": s.headers,
        "contract": f"webhook.{event.type}",
    }


def _send(s):
    builtin = s.delivery.endpoint.builtin
    # The built-in receiver is the playground's own address: trusted even on a private LAN, and
    # told the event's world (signed), so it answers as that world's Shop. Never sent elsewhere,
    # never recorded (s.headers, the ledger's and the attempt's copy, stay as they are).
    headers = {**s.headers, **world_header(s.delivery.event.world)} if builtin else s.headers
    return post(s.url, s.delivery.event.body, headers, ladder.timeout(), check_url=not builtin)


def deliver(jobs, threads=8):
    """Claim, send and settle a batch. Requests go out together; outcomes are settled as they come
    back (those that come back together, together), so one hanging endpoint holds up no other."""
    sendings = claim(jobs)
    if len(sendings) == 1:
        results.settle([(sendings[0], _send(sendings[0]))])
    elif sendings:
        with ThreadPoolExecutor(max_workers=min(threads, len(sendings))) as pool:
            waiting = {
                pool.submit(_send, s): s for s in sendings
            }  # threads only do HTTP, never the database
            while waiting:
                done, _ = wait(waiting, return_when=FIRST_COMPLETED)
                results.settle([(waiting.pop(f), f.result()) for f in done])
    return len(sendings)
