"""Helpers for the Message queue tests: the broker's own view of the jobs queue, and waits."""

import pytest
import redis
from django.conf import settings

from patterns.queue.kinds import QUEUE
from tests.helpers import eventually, hops
from tests.servers import tell_suite_workers


def broker_llen():
    """Jobs waiting, asked of Redis itself (kombu keeps a queue as a list under its name)."""
    return redis.Redis.from_url(settings.REDIS_URLS["broker"]).llen(QUEUE)


def wait_for_hops(hop, count, timeout=60, **filters):
    """Until the queue's ledger has `count` rows of `hop`; returns them."""
    eventually(
        lambda: hops("queue", hop, **filters).count() >= count,
        timeout=timeout,
        interval=0.2,
        message=lambda: f"{count} '{hop}' hops (have {hops('queue', hop, **filters).count()})",
    )
    return hops("queue", hop, **filters)


@pytest.fixture
def jobs_api(client):
    """POST /api/queue/jobs from a script (no cookies, so no CSRF token needed)."""

    def post(**body):
        return client.post("/api/queue/jobs", body, content_type="application/json")

    return post


@pytest.fixture
def jobs_stay_queued():
    """For tests that read the queue's depth: any worker left running by other tests stops taking
    jobs meanwhile (and takes them again afterwards)."""
    tell_suite_workers("cancel_consumer", QUEUE)
    yield
    tell_suite_workers("add_consumer", QUEUE)
