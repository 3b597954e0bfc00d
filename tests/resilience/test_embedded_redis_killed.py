"""The embedded Redis killed in the middle of a 200-job spike, under the real `manage.py
playground` (on the suite's test databases, so the ledger can be counted): the command starts it
again on the same socket and port, pages keep answering, firing works again within seconds, and
every one of the 200 jobs is done exactly once — those Redis forgot are sent again from the outbox."""

import time
from collections import Counter

import httpx
import pytest

from patterns.ledger.models import Message
from patterns.queue.models import Effect
from tests.helpers import eventually

from . import command
from .stack import pause_suite_workers

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])
SPIKE = 200
PAGE_S, FIRING_S = 5, 10


@pytest.fixture
def playground(server_env):
    resume = pause_suite_workers()
    process = command.start(server_env, workers=2, web=1)
    yield process
    command.finish(process)
    resume()


def get(url, limit=PAGE_S):
    began = time.monotonic()
    response = httpx.get(url, timeout=30)
    assert time.monotonic() - began < limit, f"{url} took {time.monotonic() - began:.1f} s"
    assert response.status_code == 200, (url, response.status_code)


def pinged(url):
    response = httpx.post(url + "api/ping", json={}, timeout=30)
    assert response.status_code in (201, 503), response.text
    return response.json()["correlation_id"] if response.status_code == 201 else None


def done(ids):
    return Counter(
        Message.objects.filter(style="queue", hop="done", correlation_id__in=ids).values_list(
            "correlation_id", flat=True
        )
    )


def test_a_killed_embedded_redis_comes_back_and_the_spike_is_done_exactly_once(shop, playground):
    command.ready(playground)
    url, redis = playground.url, command.embedded_redis(playground)
    port = command.redis_port(redis)
    spike = httpx.post(
        url + "api/queue/jobs",
        json={"kind": "analytics", "count": SPIKE, "duration_ms": 50},
        timeout=30,
    )
    assert spike.status_code == 201, spike.text
    eventually(lambda: done(spike.json()["ids"]), timeout=30, message="the spike under way")

    redis.kill()
    killed = time.monotonic()
    command.said(playground, "started again", timeout=10)
    for page in ("", "queue/", "messages/", "health"):  # pages answer while everything reconnects
        get(url + page)
    ping = eventually(lambda: pinged(url), timeout=FIRING_S, message="a ping accepted again")
    assert time.monotonic() - killed < FIRING_S
    assert command.redis_port(command.embedded_redis(playground)) == port

    ids = spike.json()["ids"]
    eventually(lambda: len(done(ids)) == SPIKE, timeout=120, message="every job of the spike done")
    eventually(
        lambda: Message.objects.filter(correlation_id=ping, hop="reply").exists(),
        timeout=30,
        message="the ping's reply",
    )
    assert set(done(ids).values()) == {1} and Effect.objects.filter(job_id__in=ids).count() == SPIKE
    assert playground.poll() is None
