"""The same jobs over RabbitMQ: daphne and a worker started with CELERY_BROKER_URL=amqp://…, where
a RabbitMQ is reachable (this run gets a vhost of its own when rabbitmqctl is at hand)."""

import os
import shutil
import socket
import subprocess

import httpx
import pytest
from celery import Celery

from playground import processes
from playground.embedded_redis import free_port
from playground.processes import start_child, stop
from tests.helpers import eventually, hops
from tests.servers import ROOT, log, start_daphne

from .conftest import wait_for_hops

AMQP_HOST, AMQP_PORT = "127.0.0.1", 5672
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]  # a RabbitMQ of its own and a thousand jobs


def rabbitmq_reachable():
    try:
        with socket.create_connection((AMQP_HOST, AMQP_PORT), timeout=1):
            return True
    except OSError:
        return False


def _ctl(*args):
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def amqp_url():
    if not rabbitmq_reachable():
        pytest.skip(f"no RabbitMQ at {AMQP_HOST}:{AMQP_PORT}")
    if not shutil.which("rabbitmqctl"):
        yield f"amqp://guest:guest@{AMQP_HOST}:{AMQP_PORT}//"
        return
    vhost = f"playground-test-{os.getpid()}"
    _ctl("add_vhost", vhost)
    _ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield f"amqp://guest:guest@{AMQP_HOST}:{AMQP_PORT}/{vhost}"
    _ctl("delete_vhost", vhost)


@pytest.fixture(scope="module")
def rabbit_playground(server_env, amqp_url):
    """A daphne and a two-process worker whose broker is RabbitMQ."""
    env = dict(server_env, CELERY_BROKER_URL=amqp_url)
    server = start_daphne(env, name="daphne-amqp", port=free_port())
    name = f"amqp-worker-{os.getpid()}"
    worker = start_child(
        processes.worker(f"{name}@%h", 2, quiet=True),
        env=env,
        cwd=ROOT,
        stdout=log("amqp-worker"),
        stderr=subprocess.STDOUT,
    )
    probe = Celery(
        "probe", broker=amqp_url, set_as_current=False
    )  # else .delay() here would go to RabbitMQ
    eventually(
        lambda: worker.poll() is None and probe.control.ping(timeout=0.5),
        timeout=40,
        interval=0.2,
        message="the RabbitMQ worker",
    )
    yield server
    stop([worker, server.process])


def test_a_thousand_jobs_over_rabbitmq_make_exactly_a_thousand_done_rows(rabbit_playground):
    url = rabbit_playground.url
    response = httpx.post(
        f"{url}/api/queue/jobs",
        json={"kind": "analytics", "count": 1000, "duration_ms": 0},
        timeout=60,
    )
    assert response.status_code == 201
    ids = response.json()["ids"]
    done = wait_for_hops("done", 1000, timeout=300)
    assert done.count() == 1000 and set(done.values_list("correlation_id", flat=True)) == set(ids)
    assert not hops("queue", "duplicate").exists()
    stats = eventually(
        lambda: (s := httpx.get(f"{url}/api/queue/stats", timeout=10).json())["done"] == 1000 and s,
        message="stats to count 1,000",
    )
    assert stats["broker"]["name"] == "RabbitMQ" and stats["broker"]["transport"] == "amqp"
    assert stats["depth"] == 0 and "•••" in stats["broker"]["url"]


def test_pausing_on_rabbitmq_builds_a_depth_read_from_the_broker(rabbit_playground):
    url = rabbit_playground.url
    assert (
        httpx.post(f"{url}/api/queue/workers", json={"action": "pause"}, timeout=10).status_code
        == 200
    )
    try:
        eventually(
            lambda: httpx.get(f"{url}/api/queue/stats", timeout=10).json()["workers"]["paused"],
            message="paused",
        )
        httpx.post(
            f"{url}/api/queue/jobs",
            json={"kind": "email", "count": 7, "duration_ms": 0},
            timeout=30,
        )
        eventually(
            lambda: httpx.get(f"{url}/api/queue/stats", timeout=10).json()["depth"] == 7,
            message="a depth of 7",
        )
    finally:
        assert (
            httpx.post(
                f"{url}/api/queue/workers", json={"action": "resume"}, timeout=10
            ).status_code
            == 200
        )
    wait_for_hops("done", 7, timeout=60)
