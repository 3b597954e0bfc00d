"""A whole worker SIGKILLed in the middle of a 200-job spike (as when its machine dies): the jobs it
held come back to the queue after the visibility timeout, the other worker finishes them, and
every job's side effect happens exactly once. /api/health says one worker is gone while it is."""

from collections import Counter

import httpx
import pytest

from patterns.ledger.models import Message
from patterns.queues.models import Effect

from .stack import until

pytestmark = pytest.mark.django_db(transaction=True)
SPIKE = 200


def done():
    return Counter(Message.objects.filter(style="queue", hop="done").values_list("correlation_id", flat=True))


def test_a_worker_killed_mid_spike_leaves_the_spike_done_exactly_once(stack):
    a, b = stack.webs
    response = httpx.post(f"{a.url}/api/queue/jobs", json={"kind": "thumbnail", "count": SPIKE, "duration_ms": 60}, timeout=60)
    assert response.status_code == 201
    ids = response.json()["ids"]
    until(lambda: len(done()) >= 30, message="the spike under way")

    stack.kill_worker("stack-w1")
    at_kill = len(done())
    assert at_kill < SPIKE, "the spike ended before the worker was killed"

    def one_worker_reported(web):
        workers = stack.health(web)["workers"]
        return workers["up"] and workers["detail"].startswith("1 running")

    until(lambda: one_worker_reported(b), timeout=40, message="health to report one worker")
    until(lambda: len(done()) == SPIKE, timeout=90, message=f"the whole spike done (have {len(done())})")
    finished = done()
    assert set(finished) == set(ids) and set(finished.values()) == {1}
    assert Effect.objects.filter(job_id__in=ids).count() == SPIKE
    started = Message.objects.filter(style="queue", correlation_id__in=ids, hop__in=["started", "redelivered"])
    killed = {m.correlation_id for m in started if m.payload.get("worker", "").startswith("stack-w1-")}
    assert killed, "the killed worker had taken part in the spike"
    # The jobs it was running when it died were started again and finished by the other worker.
    redelivered = set(Message.objects.filter(hop="redelivered", correlation_id__in=ids).values_list("correlation_id", flat=True))
    assert redelivered and redelivered <= killed
    by_survivor = Message.objects.filter(hop="done", correlation_id__in=redelivered)
    assert all(m.payload["worker"].startswith("stack-w2-") for m in by_survivor)
