"""One delivery attempt, for real: claim the delivery, sign, POST, record what happened.

Claiming is one conditional UPDATE (pending, enabled endpoint, the dispatch number this job was
given), so two copies of a job, or a job and a sweep, never make two requests. Every attempt is
two ledger hops: "attempt" when the request leaves, "answer" when the outcome is known.
"""

import json
import os
import time
from dataclasses import dataclass

import httpx
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from patterns.ledger.recorder import record

from . import endpoints, ladder, results, signing, urlcheck
from .models import Delivery

EXCERPT = 200
_client = None


def client():
    """One pooled client per process (keep-alive to the receiver); never follows redirects and
    ignores proxy settings (deliveries go exactly where the endpoint says)."""
    global _client
    if _client is None or _client.pid != os.getpid():
        _client = httpx.Client(follow_redirects=False, trust_env=False,
                               limits=httpx.Limits(max_connections=20, max_keepalive_connections=10))
        _client.pid = os.getpid()
    return _client


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
        if check_url:
            urlcheck.check(url)  # again at send time: a name may resolve elsewhere by now
        response = client().post(url, content=body.encode(), headers=headers, timeout=timeout)
    except urlcheck.BadUrl as exc:
        return Outcome(None, False, elapsed(), error=f"not sent: {exc}")
    except httpx.TimeoutException:
        return Outcome(None, False, elapsed(), error=f"no answer within the {timeout:g} s timeout")
    except httpx.ConnectError as exc:
        return Outcome(None, False, elapsed(), error=f"could not connect: {_reason(exc)}")
    except httpx.HTTPError as exc:
        return Outcome(None, False, elapsed(), error=f"the connection failed: {_reason(exc)}")
    ok = 200 <= response.status_code < 300
    return Outcome(response.status_code, ok, elapsed(), response.text[:EXCERPT],
                   "" if ok else f"answered {response.status_code} {response.reason_phrase}",
                   ladder.retry_after_seconds(response.headers.get("retry-after")))


def _reason(exc):
    text = str(exc) or type(exc).__name__
    return "connection refused (nothing is listening)" if "refused" in text.lower() else text[:120]


def claim(delivery_id, token):
    """Take the delivery for one attempt; None if it is not ours to send (any more)."""
    now = timezone.now()
    lease = timezone.timedelta(seconds=ladder.timeout() + 30)  # a worker that dies mid-attempt
    taken = Delivery.objects.filter(id=delivery_id, state=Delivery.State.PENDING, dispatch=token,
                                    endpoint__disabled=False).update(
        dispatch=F("dispatch") + 1, attempts=F("attempts") + 1, next_attempt_at=now + lease)
    if not taken:
        return None
    return Delivery.objects.select_related("event", "endpoint").get(id=delivery_id)


def attempt(delivery_id, token):
    """Make one attempt of one delivery; returns its Outcome (None if the job was stale)."""
    with transaction.atomic():
        delivery = claim(delivery_id, token)
        if delivery is None:
            return None
        event, endpoint, number = delivery.event, delivery.endpoint, delivery.attempts
        sent_at = timezone.now()
        headers = signing.headers(event.event_id, sent_at, event.body, endpoints.secrets_in_use(endpoint, sent_at))
        record(**_common(delivery), uid=f"{delivery.uid}-{number}-attempt", hop="attempt",
               source=event.source, target=endpoint.node, status="pending", attempt=number,
               payload=json.loads(event.body), headers=headers, contract=f"webhook.{event.type}")
    # The built-in receiver is the playground's own address: trusted even on a private LAN.
    outcome = post(endpoints.target_url(endpoint), event.body, headers, ladder.timeout(),
                   check_url=not endpoint.builtin)
    results.settle(delivery, number, sent_at, headers, outcome)
    return outcome


def _common(delivery):
    return {"style": "webhooks", "kind": delivery.event.type, "correlation_id": delivery.event.event_id}
