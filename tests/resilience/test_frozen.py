"""Redis frozen (SIGSTOP) for 10 s mid-demo: its connections stay open and nothing answers, as when
its machine stalls. Every firing request still answers within a few seconds — 201 or 202 when its
work waits in an outbox, 503 JSON when it cannot wait — pages keep loading, and after SIGCONT every
job and event that was accepted is done exactly once."""

import time
from collections import Counter

import httpx
import pytest

from patterns.ledger.models import Message
from patterns.queue.models import Effect
from patterns.webhooks.models import Processed
from tests.helpers import eventually

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])
FREEZE_S = 10
ANSWER_S = 3  # the promise is "a couple of seconds" on Redis; generous for a busy test machine
PAGE_S = 5
FIRING = [
    ("post", "/api/ping", {}),
    ("post", "/api/queue/jobs", {"kind": "analytics", "count": 5, "duration_ms": 0}),
    ("post", "/api/webhooks/events", {"type": "payment.completed"}),
    ("get", "/api/queue/stats", None),
    ("post", "/api/queue/workers", {"action": "resume"}),
]


def timed(web, method, path, body, limit):
    began = time.monotonic()
    response = httpx.request(method, web.url + path, json=body, timeout=30)
    took = time.monotonic() - began
    assert took < limit, f"{method} {path} took {took:.1f} s (status {response.status_code})"
    return response, took


def fire_while_frozen(webs):
    """Fire everything through every web process, again and again, until the freeze is over."""
    answers, began = [], time.monotonic()
    while time.monotonic() - began < FREEZE_S:
        for web in webs:
            for method, path, body in FIRING:
                response, took = timed(web, method, path, body, ANSWER_S)
                assert response.headers["content-type"].startswith("application/json"), (
                    path,
                    response.text,
                )
                answers.append((path, response.status_code, response.json(), took))
            for page in ("/", "/queue/", "/health"):
                answers.append((page, 200, None, timed(web, "get", page, None, PAGE_S)[1]))
    return answers


def accepted(answers, path, key):
    found = []
    for got_path, status, body, _ in answers:
        if got_path == path:
            assert status in (201, 202, 503), (path, status, body)
            if status == 503:
                assert body["error"].endswith("_unreachable"), body
            else:
                found += body[key] if isinstance(body[key], list) else [body[key]]
    return found


def counted(style, hop, ids):
    return Counter(
        Message.objects.filter(style=style, hop=hop, correlation_id__in=ids).values_list(
            "correlation_id", flat=True
        )
    )


def test_a_frozen_redis_never_holds_a_request_and_loses_nothing(shop, stack):
    stack.wait_healthy()
    stack.redis.freeze()
    try:
        answers = fire_while_frozen(stack.webs)
    finally:
        stack.redis.thaw()
    print(
        "slowest answers:",
        sorted(((round(took, 2), path) for path, *_, took in answers), reverse=True)[:6],
    )
    answers = [answer for answer in answers if answer[2] is not None]  # the pages' are timed only
    statuses = Counter((path, status) for path, status, *_ in answers)
    assert statuses[("/api/queue/jobs", 202)] and statuses[("/api/webhooks/events", 202)], statuses
    assert statuses[("/api/ping", 503)] and statuses[("/api/queue/stats", 503)], statuses
    jobs = accepted(answers, "/api/queue/jobs", "ids")
    events = accepted(answers, "/api/webhooks/events", "event_id")
    pings = accepted(answers, "/api/ping", "correlation_id")
    assert {status for _, status, *_ in answers} <= {200, 201, 202, 503}, statuses

    eventually(
        lambda: len(counted("queue", "done", jobs)) == len(jobs),
        timeout=90,
        message="every accepted job done",
    )
    eventually(
        lambda: Processed.objects.filter(webhook_id__in=events).count() == len(events),
        timeout=90,
        message="every accepted event processed by Shop",
    )
    eventually(
        lambda: len(counted("ping", "reply", pings)) == len(pings),
        timeout=60,
        message="every accepted ping answered",
    )
    assert set(counted("queue", "done", jobs).values()) == {1} and Effect.objects.filter(
        job_id__in=jobs
    ).count() == len(jobs)
    assert set(counted("webhooks", "processed", events).values()) == {1}
    assert set(counted("ping", "reply", pings).values()) <= {1}
    stack.wait_healthy(timeout=60)
