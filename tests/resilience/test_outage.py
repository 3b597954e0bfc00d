"""Redis stopped for 10 s mid-demo, on an installation of two web processes and two workers:
pages keep loading, jobs and webhook events wait in the database's outboxes, actions that cannot
wait get a 503 naming what is down, and when Redis is back everything goes out exactly once."""

import time
from collections import Counter

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from patterns.ledger.models import Message
from patterns.queue.models import Effect, Outbox
from patterns.site.styles import STYLES
from patterns.webhooks.models import Delivery, Processed
from tests.helpers import FeedClient, eventually, hops

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])
OUTAGE_S = 10
DOWN_WHILE_REDIS_IS = {"redis", "broker", "channel_layer", "workers", "beat"}


def pages():
    return ["/", "/messages/", "/health", "/contracts/", "/api/docs", *(s.url for s in STYLES)]


def fire_jobs(web, count):
    response = httpx.post(
        f"{web.url}/api/queue/jobs",
        json={"kind": "analytics", "count": count, "duration_ms": 0},
        timeout=30,
    )
    assert response.status_code == (202 if response.json().get("held_in_outbox") else 201), (
        response.text
    )
    return response.json()


def fire_event(web):
    response = httpx.post(
        f"{web.url}/api/webhooks/events", json={"type": "payment.completed"}, timeout=30
    )
    assert response.status_code == (202 if response.json().get("held_in_outbox") else 201), (
        response.text
    )
    return response.json()["event_id"]


def exchanges(style, hop):
    """How many `hop` rows each exchange (correlation id) has."""
    return Counter(hops(style, hop).values_list("correlation_id", flat=True))


def test_redis_stopped_for_ten_seconds_loses_nothing_and_doubles_nothing(shop, stack):
    a, b = stack.webs
    stack.wait_healthy()
    with FeedClient(b, query="style=webhooks") as feed:  # a page on process B ...
        feed.wait_ready()
        first_event = fire_event(a)  # ... sees an event fired through process A
        seen = eventually(
            lambda: [m for m in feed.collect(1) if m["correlation_id"] == first_event],
            timeout=60,
            interval=0.25,
            message="A's event on B",
        )
        assert seen[0]["hop"] == "event"
    jobs = fire_jobs(a, 20)["ids"]
    events = [first_event]
    cursor = Message.objects.order_by("-id").values_list("id", flat=True).first()

    stack.redis.stop()
    began, held, during = time.monotonic(), 0, []
    for web in [a, b] * 3:  # fired through both web processes while Redis is down
        answer = fire_jobs(web, 5)
        held += answer["held_in_outbox"]
        during += answer["ids"]
        events.append(fire_event(web))
        assert "outbox" in answer["detail"]
    for web in (a, b):
        for page in pages():
            response = httpx.get(web.url + page, timeout=20)
            assert response.status_code == 200, (web.port, page, response.status_code)
        down = {name for name, c in stack.health(web).items() if not c["up"]}
        assert down == DOWN_WHILE_REDIS_IS, (web.port, down)
        ping = httpx.post(f"{web.url}/api/ping", json={}, timeout=30)
        assert ping.status_code == 503 and ping.json()["error"] == "queue_unreachable"
        stats = httpx.get(f"{web.url}/api/queue/stats", timeout=30)
        assert stats.status_code == 503 and stats.json()["error"] == "redis_unreachable"
        assert "Redis" in stats.json()["detail"]
    assert held == len(during) == 30
    assert Outbox.objects.filter(state="pending").count() == 30
    assert not Processed.objects.filter(
        webhook_id__in=events[1:]
    ).exists()  # nothing went out meanwhile
    time.sleep(max(0, OUTAGE_S - (time.monotonic() - began)))
    stack.redis.start()

    everything = jobs + during
    eventually(
        lambda: len(exchanges("queue", "done")) == len(everything),
        timeout=90,
        interval=0.25,
        message="every job done",
    )
    eventually(
        lambda: Processed.objects.filter(webhook_id__in=events).count() == len(events),
        timeout=90,
        interval=0.25,
        message="every webhook event processed by Shop",
    )
    # Shop commits "processed" before it answers; the sender settles its delivery on the answer.
    eventually(
        lambda: set(Delivery.objects.values_list("state", flat=True)) == {"delivered"},
        timeout=30,
        interval=0.25,
        message=lambda: (
            f"every delivery settled: {Counter(Delivery.objects.values_list('state', flat=True))}"
        ),
    )
    done, queued, processed = (
        exchanges("queue", "done"),
        exchanges("queue", "queued"),
        exchanges("webhooks", "processed"),
    )
    assert set(done) == set(queued) == set(everything) and set(done.values()) == set(
        queued.values()
    ) == {1}
    assert Effect.objects.count() == len(everything)  # each job's side effect happened once
    assert set(processed) == set(events) and set(processed.values()) == {
        1
    }  # each event acted on once
    assert not Message.objects.filter(style="webhooks", hop="duplicate").exists()
    assert Outbox.objects.filter(state="pending").count() == 0
    assert Outbox.objects.filter(state="sent").count() == len(everything)

    # Every part reconnected by itself, and a page that was away catches up from the ledger, whole.
    stack.wait_healthy(timeout=60)
    missed = list(Message.objects.filter(id__gt=cursor).order_by("id").values_list("id", flat=True))
    assert catch_up(b, cursor, len(missed))[: len(missed)] == missed


def catch_up(web, cursor, count, timeout=60):
    """What a page does: (re)connect, resume from its cursor, and again until it has `count` messages."""
    got, at = [], {"cursor": cursor}

    def caught_up():
        try:
            with FeedClient(web, after=at["cursor"]) as feed:
                try:
                    feed.collect(count - len(got), timeout=5)
                finally:
                    got.extend(m["id"] for m in feed.messages)
                    at["cursor"] = feed.cursor or at["cursor"]
        except (AssertionError, OSError, TimeoutError, ConnectionClosed):
            pass
        return len(got) >= count

    eventually(
        caught_up,
        timeout=timeout,
        interval=1,
        message=lambda: f"a page to catch up (has {len(got)} of {count})",
    )
    return got
