"""The journal is flushed later, by whichever process gets there first — a worker, or a stats
request made in another room. A row (a hop, a side effect, a dead letter) keeps the room of the
job that wrote it, never the flusher's."""

import pytest

from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room
from patterns.queue import journal
from patterns.queue.models import DeadLetter, Effect

pytestmark = pytest.mark.django_db(transaction=True)


def entry(job_id):
    fields = {"style": "queue", "kind": "email", "hop": "started", "source": "queue"}
    return {"fields": {**fields, "target": "worker", "correlation_id": job_id, "uid": job_id}}


def test_a_rooms_journal_entry_flushed_from_another_room_stays_in_its_room(redis_server):
    with in_room("ROOMA"):
        journal.append(entry("job-of-room-a"))
    journal.append(entry("job-of-the-shared-demo"))
    with in_room("ROOMB"):  # a stats request in room B happens to flush
        journal.flush()
    rooms = dict(Message.objects.values_list("correlation_id", "room"))
    assert rooms == {"job-of-room-a": "ROOMA", "job-of-the-shared-demo": ""}


def test_a_jobs_side_effect_and_dead_letter_keep_the_room_of_the_job(redis_server):
    done = {**entry("done-in-a"), "effect": {"job_id": "done-in-a", "kind": "email", "detail": "x"}}
    done["fields"].update(hop="done", uid="done-in-a-done")
    dead = {**entry("dead-in-a"), "dead": {"job_id": "dead-in-a", "round": 1, "kind": "email"}}
    dead["dead"].update(job={}, error="refused", attempts=4)
    dead["fields"].update(hop="dead", uid="dead-in-a-dead")
    with in_room("ROOMA"):
        journal.append(done, dead)
    with in_room("ROOMB"):
        journal.flush()
    assert Effect.objects.get(job_id="done-in-a").room == "ROOMA"
    assert DeadLetter.objects.get(job_id="dead-in-a").room == "ROOMA"


def test_a_batch_applied_twice_records_each_entry_once(redis_server):
    """A flusher killed between its commit and its trim (a crash demo kills the processes that run
    flushers) leaves its batch for the next one: applying it again must change nothing."""
    from patterns.queue.worker import Attempt

    job = {"job_id": "j1", "round": 1, "kind": "email", "duration_ms": 5, "data": {}}
    job["queued_at"] = "2026-01-01T08:00:00+00:00"
    first, second = Attempt(job, 1, "w1"), Attempt(job, 1, "w1")  # a delivery and its redelivery
    second.who["pid"] = first.who["pid"] + 1
    effect = {"job_id": "j1", "kind": "email", "detail": "sent"}
    batch = [
        first.entry("started", "queue", "worker"),
        second.entry("started", "queue", "worker"),
        second.entry("done", "worker", "mail", uid="j1-done", effect=effect),
        first.entry("done", "worker", "mail", uid="j1-done", effect=effect),  # late, a duplicate
    ]
    journal.apply(batch)
    hops = list(Message.objects.order_by("id").values_list("hop", flat=True))
    assert hops == ["started", "redelivered", "done", "duplicate"]
    journal.apply(batch)
    assert list(Message.objects.order_by("id").values_list("hop", flat=True)) == hops
    assert Effect.objects.filter(job_id="j1").count() == 1
