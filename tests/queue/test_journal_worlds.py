"""The journal is flushed later, by whichever process gets there first — a worker, or a stats
request made in another room. A row keeps the room of the job that wrote it, never the flusher's."""

import pytest

from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room
from patterns.queue import journal

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
