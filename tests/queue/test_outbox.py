"""The jobs' outbox: every job has a row, handed to the broker after commit; a job the broker lost
is found (sent, never started, in neither the queue nor the unacknowledged set) and sent again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from patterns.ledger.recorder import record
from patterns.queue import outbox, sender
from patterns.queue.models import Effect, Outbox
from tests.helpers import eventually, hops

from .conftest import wait_for_hops

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def only_this_test_recovers(redis_server):
    """Beat's sweep looks for lost jobs every few seconds (tasks.sweep): it stays out while a test
    does it by hand, and what earlier tests' workers left in the journal is in the ledger first
    (a journal not yet flushed makes recover_lost wait: a finished job may look unfinished)."""
    from django.core.cache import cache

    from patterns.queue import journal

    cache.set("queue:lost-check", 1, timeout=120)
    eventually(lambda: journal.flush() >= 0 and not journal.pending(), message="a flushed journal")
    yield
    cache.delete("queue:lost-check")


def test_every_job_enqueued_has_an_outbox_row_marked_sent_once_the_broker_took_it(jobs_stay_queued):
    ids = sender.enqueue("analytics", 3, duration_ms=0)
    rows = Outbox.objects.filter(job_id__in=ids)
    assert sorted(rows.values_list("task_id", flat=True)) == sorted(ids)
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    assert outbox.sweep() == 0  # nothing due: nothing is sent twice


def test_a_job_still_waiting_in_the_queue_is_not_taken_for_lost(
    jobs_stay_queued, only_this_test_recovers
):
    ids = sender.enqueue("analytics", 2, duration_ms=0)
    Outbox.objects.filter(job_id__in=ids).update(sent_at=timezone.now() - timedelta(seconds=30))
    assert outbox.recover_lost() == 0
    assert not hops("queue", "re-sent").exists()


def test_a_job_the_broker_lost_is_sent_again_and_done_once(celery_worker, only_this_test_recovers):
    job = sender.build_job("email", duration_ms=0)
    record(**sender.hop(job))  # recorded and marked sent, but the message never reached a worker
    Outbox.objects.create(
        task_id=job["job_id"],
        job_id=job["job_id"],
        job=job,
        state="sent",
        due_at=timezone.now(),
        sent_at=timezone.now() - timedelta(seconds=30),
    )
    assert outbox.recover_lost() == 1
    wait_for_hops("done", 1, correlation_id=job["job_id"])
    assert hops("queue", "re-sent", correlation_id=job["job_id"]).count() == 1
    assert Effect.objects.filter(job_id=job["job_id"]).count() == 1
    assert outbox.recover_lost() == 0  # started now: not lost any more
