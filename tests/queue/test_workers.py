"""Worker controls through Celery's remote control, on worker processes of their own: pause builds
a backlog the broker confirms, a SIGKILLed process's job is redelivered and finished once."""

import psutil
import pytest

from patterns.ledger.models import Message
from patterns.queue import control, sender
from patterns.queue.models import Effect
from playground.celery import app
from playground.processes import stop
from tests.helpers import eventually, hops
from tests.servers import start_worker

from .conftest import broker_llen, wait_for_hops

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]  # starts, kills and scales workers of its own


@pytest.fixture
def own_worker(server_env):
    process = start_worker(server_env, name="queue-worker", concurrency=1)
    yield process
    stop([process])


def act(client, action):
    return client.post("/api/queue/workers", {"action": action}, content_type="application/json")


def stats(client):
    from patterns.queue.stats import snapshot

    return snapshot(fresh=True)


def test_a_worker_process_killed_mid_job_has_its_job_redelivered_and_finished_once(
    own_worker, client
):
    [job_id] = sender.enqueue("thumbnail", 1, duration_ms=4000)
    started = wait_for_hops("started", 1, correlation_id=job_id).get()
    victim = started.payload["pid"]
    eventually(
        lambda: any(j["job_id"] == job_id for n in control.lanes() for j in n["jobs"]),
        message="the job in a lane",
    )

    response = act(client, "crash")
    assert response.status_code == 200, response.json()
    assert response.json()["pid"] == victim and response.json()["job_id"] == job_id
    eventually(
        lambda: (
            not psutil.pid_exists(victim) or psutil.Process(victim).status() == psutil.STATUS_ZOMBIE
        ),
        message="the killed process to be gone",
    )

    wait_for_hops("done", 1, timeout=60, correlation_id=job_id)
    assert hops("queue", "redelivered", correlation_id=job_id).count() == 1
    assert hops("queue", "done", correlation_id=job_id).get().payload["pid"] != victim
    assert Effect.objects.filter(job_id=job_id).count() == 1
    assert Message.objects.filter(style="queue", kind="control", hop="crash").count() == 1


def test_crashing_when_no_job_runs_is_refused_with_a_reason(own_worker, client):
    response = act(client, "crash")
    assert response.status_code == 409 and response.json()["error"] == "nothing_running"


def test_a_crash_while_jobs_wait_and_none_runs_is_taken_by_the_next_job_to_start(
    own_worker, client
):
    """No job runs, so no process can be killed from outside mid-job (as in a spike of jobs of a
    few milliseconds, which a worker's main process sees only once they are over): the crash is
    armed, and the next job to start takes it. Jobs wait while the workers are paused; they are
    resumed once the crash is armed, so the order of events is the same on any machine."""
    import threading

    from django.db import connection
    from django.test import Client

    from patterns.queue import journal
    from patterns.site import redisclient

    assert act(client, "pause").status_code == 200
    eventually(lambda: stats(client)["workers"]["paused"], message="every worker paused")
    ids = set(sender.enqueue("noop", 50, duration_ms=5))
    answer = {}

    def press():
        try:
            answer["response"] = act(Client(), "crash")
        finally:
            connection.close()

    pressed = threading.Thread(target=press)
    pressed.start()
    try:
        eventually(lambda: redisclient.client().exists(journal.CRASH), message="the crash armed")
    finally:
        assert act(client, "resume").status_code == 200
    pressed.join(30)
    response = answer["response"]
    assert response.status_code == 200, response.json()
    victim, job_id = response.json()["pid"], response.json()["job_id"]
    assert job_id in ids and "SIGKILL" in response.json()["detail"]
    wait_for_hops("done", 50, timeout=90)
    assert set(hops("queue", "done").values_list("correlation_id", flat=True)) == ids
    story = [
        (m.hop, m.attempt, m.payload.get("pid"))
        for m in Message.objects.filter(correlation_id=job_id).order_by("id")
    ]
    assert hops("queue", "redelivered", correlation_id=job_id).count() == 1, story
    assert hops("queue", "done", correlation_id=job_id).get().payload["pid"] != victim
    # The killed attempt's start was journaled before the kill: the redelivery is not a first start.
    assert hops("queue", "started", correlation_id=job_id).count() == 1


def test_pause_builds_a_backlog_that_stats_report_as_the_broker_holds_it_and_resume_drains_it(
    own_worker, client
):
    assert act(client, "pause").status_code == 200
    try:
        eventually(
            lambda: stats(client)["workers"]["paused"], message="every worker to stop taking jobs"
        )
        ids = sender.enqueue("analytics", 40, duration_ms=0)
        depth = stats(client)["depth"]
        assert depth == broker_llen() == 40
        assert not hops("queue", "started").exists()
    finally:
        assert act(client, "resume").status_code == 200
    wait_for_hops("done", 40, timeout=60)
    assert set(hops("queue", "done").values_list("correlation_id", flat=True)) == set(ids)
    assert stats(client)["depth"] == broker_llen() == 0


@pytest.fixture
def pool_sizes_restored():
    """This test shrinks every worker it finds, the suite's shared one too: grow them back after."""
    sizes = {n["name"]: n["size"] for n in control.lanes()}
    yield
    for node in control.lanes():
        if node["size"] < sizes.get(node["name"], 0):
            app.control.pool_grow(
                sizes[node["name"]] - node["size"],
                destination=[node["name"]],
                reply=True,
                timeout=2,
            )


def test_workers_can_be_added_and_removed_but_not_below_one_process(
    own_worker, pool_sizes_restored, client
):
    before = stats(client)["workers"]["processes"]
    response = act(client, "add")
    assert response.status_code == 200 and "pool_grow" in response.json()["detail"]
    eventually(
        lambda: stats(client)["workers"]["processes"] == before + 1, message="one more process"
    )
    assert act(client, "remove").status_code == 200
    eventually(lambda: stats(client)["workers"]["processes"] == before, message="one process fewer")
    for _ in range(before):  # each worker keeps one process; the rest can go
        if act(client, "remove").status_code == 409:
            break
    response = act(client, "remove")
    assert response.status_code == 409 and response.json()["error"] == "last_worker"


def crashed_mid_job(client):
    """Press "Crash a worker mid-job"; assert a process that held a job was killed and is gone."""
    response = act(client, "crash")
    assert response.status_code == 200, response.json()
    victim = response.json()["pid"]
    eventually(
        lambda: (
            not psutil.pid_exists(victim) or psutil.Process(victim).status() == psutil.STATUS_ZOMBIE
        ),
        message="the killed process to be gone",
    )
    return response.json()["job_id"], victim


def test_a_crash_during_a_spike_of_quick_jobs_kills_a_process_on_a_job_first_and_after_the_rest(
    server_env, client
):
    worker = start_worker(server_env, name="spike-worker", concurrency=2)
    try:
        # First thing on a fresh worker: a 1,000-job spike of ~20 ms jobs, then the crash button.
        spike = client.post(
            "/api/queue/jobs", {"kind": "analytics", "count": 1000}, content_type="application/json"
        ).json()
        assert spike["count"] == 1000
        eventually(lambda: stats(client)["in_flight"] > 0, message="the board to see a busy worker")
        first, first_pid = crashed_mid_job(client)
        # Then after the other controls, on the same spike. Celery stops only an idle process, so
        # a process is removed while the queue is paused, as the refusal mid-spike advises.
        for action in ("add", "pause", "remove", "resume"):
            response = act(client, action)
            assert response.status_code == 200, (action, response.json())
        second, second_pid = crashed_mid_job(client)

        ids = set(hops("queue", "queued").values_list("correlation_id", flat=True))
        assert len(ids) == 1000 and {first, second} <= ids
        wait_for_hops("done", 1000, timeout=180)
        # Nothing lost, nothing doubled: each job done once, its effect written once.
        assert set(hops("queue", "done").values_list("correlation_id", flat=True)) == ids
        assert Effect.objects.filter(job_id__in=ids).count() == 1000
        assert hops("queue", "redelivered").filter(correlation_id__in=[first, second]).count() == 2
        # Each was killed mid-job, not just after it: another process finished it.
        for job_id, victim in ((first, first_pid), (second, second_pid)):
            assert hops("queue", "done", correlation_id=job_id).get().payload["pid"] != victim
        assert Message.objects.filter(style="queue", kind="control", hop="crash").count() == 2
    finally:
        stop([worker])
