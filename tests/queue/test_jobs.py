"""Real jobs through a real Redis broker and a real prefork worker: nothing lost, nothing doubled,
retries with back-off, dead letters and requeue."""

import pytest

from patterns.ledger.models import Message
from patterns.queue import sender
from patterns.queue.kinds import MAX_RETRIES, backoff_seconds
from patterns.queue.models import DeadLetter, Effect
from tests.helpers import eventually, hops

from .conftest import broker_llen, wait_for_hops

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow
def test_a_thousand_jobs_make_exactly_a_thousand_done_rows_with_distinct_ids(
    celery_worker, jobs_api
):
    response = jobs_api(kind="analytics", count=1000, duration_ms=0)
    assert response.status_code == 201
    ids = response.json()["ids"]
    assert len(set(ids)) == 1000
    done = wait_for_hops("done", 1000, timeout=240)
    eventually(lambda: broker_llen() == 0, message="an empty queue")
    assert done.count() == 1000
    assert set(done.values_list("correlation_id", flat=True)) == set(ids)
    assert (
        Effect.objects.count() == 1000
        and hops("queue", "queued").count() == 1000
        and hops("queue", "started").count() == 1000
    )
    assert not hops("queue", "duplicate").exists() and not hops("queue", "failed").exists()


def test_the_same_job_delivered_twice_has_one_side_effect(celery_worker):
    job_id = sender.enqueue_twice("email")
    wait_for_hops("duplicate", 1, correlation_id=job_id)
    assert Effect.objects.filter(job_id=job_id).count() == 1
    assert hops("queue", "done", correlation_id=job_id).count() == 1
    assert hops("queue", "sent-again", correlation_id=job_id).count() == 1


@pytest.mark.slow
def test_a_job_failing_three_times_is_done_on_attempt_four_after_growing_back_off(celery_worker):
    [job_id] = sender.enqueue("email", 1, duration_ms=0, fail_times=3)
    done = wait_for_hops("done", 1, timeout=60, correlation_id=job_id).get()
    assert done.attempt == 4
    failed = hops("queue", "failed", correlation_id=job_id).order_by("attempt")
    assert [m.attempt for m in failed] == [1, 2, 3] and all(m.status == "error" for m in failed)
    retries = hops("queue", "retry-scheduled", correlation_id=job_id).order_by("attempt")
    delays = [m.payload["retry_in_s"] for m in retries]
    assert (
        delays == [round(backoff_seconds(n), 3) for n in (1, 2, 3)]
        and delays[0] < delays[1] < delays[2]
    )
    # The recorded start of each attempt is at least its back-off after the failure before it.
    starts = {m.attempt: m.created_at for m in hops("queue", "started", correlation_id=job_id)}
    for retry in retries:
        waited = (starts[retry.attempt + 1] - retry.created_at).total_seconds()
        assert waited >= retry.payload["retry_in_s"] * 0.9
    assert Effect.objects.filter(job_id=job_id).count() == 1 and not DeadLetter.objects.exists()


@pytest.mark.slow
def test_an_always_failing_job_dies_after_the_retry_limit_and_requeue_finishes_it_once(
    celery_worker, client
):
    [job_id] = sender.enqueue("email", 1, duration_ms=0, fail_rate=1)
    wait_for_hops("dead", 1, timeout=60, correlation_id=job_id)
    assert hops("queue", "failed", correlation_id=job_id).count() == MAX_RETRIES + 1
    assert not Effect.objects.filter(job_id=job_id).exists()
    dead = client.get("/api/queue/dead").json()
    assert (
        dead["count"] == 1
        and dead["dead"][0]["job_id"] == job_id
        and "mail server" in dead["dead"][0]["error"]
    )

    dead_id = dead["dead"][0]["id"]
    response = client.post(f"/api/queue/dead/{dead_id}/requeue")
    assert response.status_code == 200 and response.json()["round"] == 2
    assert client.post(f"/api/queue/dead/{dead_id}/requeue").status_code == 409  # not twice
    wait_for_hops("done", 1, correlation_id=job_id)
    assert Effect.objects.filter(job_id=job_id).count() == 1
    assert client.get("/api/queue/dead").json()["count"] == 0
    assert DeadLetter.objects.get().status == "requeued"


def test_stats_report_what_the_ledger_and_the_broker_hold(celery_worker, client, jobs_api):
    jobs_api(kind="thumbnail", count=5, duration_ms=0)
    wait_for_hops("done", 5)
    eventually(
        lambda: client.get("/api/queue/stats").json()["done"] == 5, message="stats to catch up"
    )
    stats = client.get("/api/queue/stats").json()
    assert stats["depth"] == 0 and stats["sent"] == 5 and stats["effects"] == {"thumbnail": 5}
    assert stats["broker"]["name"] == "Redis" and stats["workers"]["processes"] >= 2
    assert stats["workers"]["paused"] is False and stats["throughput"] > 0
    assert (
        Message.objects.filter(style="queue", valid=False).count() == 0
    )  # every hop meets its contract
