"""Reset puts the queue demo back to its defaults (a paused queue resumes), and the ledger says so."""

import pytest

from patterns.ledger.models import Message
from patterns.queue import demo
from patterns.queue.stats import snapshot
from tests.helpers import eventually

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]


def act(client, action):
    return client.post("/api/queue/workers", {"action": action}, content_type="application/json")


def test_reset_resumes_a_paused_queue_and_leaves_the_shared_pool_alone(client):
    processes = snapshot(fresh=True)["workers"]["processes"]
    assert act(client, "pause").status_code == 200
    try:
        eventually(
            lambda: snapshot(fresh=True)["workers"]["paused"],
            message="every worker to stop taking jobs",
        )
        done = demo.reset()
    finally:
        act(client, "resume")  # never leave the suite's worker paused

    assert client.get("/api/queue/stats").json()["workers"]["paused"] is False
    message = Message.objects.get(style="queue", kind="demo.reset")
    assert message.valid is True and message.status == "ok" and message.id == done["message_id"]
    assert message.payload["was"]["taking_jobs"].startswith("paused on")
    assert message.payload["now"] == {"taking_jobs": "yes"}
    assert f"({processes} processes) is shared by the whole server" in message.payload["note"]
    resumed = Message.objects.filter(style="queue", kind="control", hop="resume")
    assert (
        resumed.count() == 2 and resumed.first().id < message.id
    )  # Reset's own Resume, then the test's


def test_a_reset_of_a_queue_that_takes_jobs_sends_no_command():
    assert demo.reset()["was"] == {}
    assert not Message.objects.filter(style="queue", kind="control").exists()
