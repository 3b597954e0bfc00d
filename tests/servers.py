"""Starting the real parts as processes: daphne, a Celery worker, beat and the streams producer.

Plain functions (no fixtures here), so test modules may import them. The suite's own processes
are started by the fixtures in tests/conftest.py and tests/streams/parts.py through `suite()`,
which keeps a record of what this run started: a second beat alive beside the first would send
every scheduled job twice, so `suite()` refuses to start one (tests/test_fixtures.py checks).
"""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import redis

from playground import processes
from playground.processes import start_child
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-output"  # not test-results: pytest-playwright empties that one
# A loopback address other than 127.0.0.1 (Linux answers on all of 127/8): servers that stand for
# machines outside the playground listen here, away from the playground's own port and its Redis.
OUTSIDE_HOST = "127.0.0.2"

STARTED = {}  # kind ("beat", "producer", …) -> everything this run started as the suite's one


def suite(kind, start):
    """Start the suite's one `kind` with `start()`, unless one is alive already (that is a bug:
    some module defines or imports its own copy of a session fixture)."""
    alive = [p.pid for p in map(process_of, STARTED.get(kind, [])) if p.poll() is None]
    assert not alive, (
        f"the suite's {kind} is already running (pid {alive}); a second would double its work"
    )
    process = start()
    STARTED.setdefault(kind, []).append(process)
    return process


def process_of(started):
    return getattr(started, "process", started)  # a Server, or a Popen


def log_path(name):
    """Where the process `name` writes its output: one file per pytest-xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return ARTIFACTS / (f"{name}-{worker}.log" if worker else f"{name}.log")


def log(name):
    ARTIFACTS.mkdir(exist_ok=True)
    return open(log_path(name), "ab")


class Server:
    def __init__(self, process, port):
        self.process, self.port = process, port
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"
        self.origin = self.url


def start_daphne(env, name="daphne", port=None, ready_path="/api/stats"):
    """A daphne process; by default on the port of env's PLAYGROUND_BASE_URL (what workers call)."""
    port = port or int(env["PLAYGROUND_BASE_URL"].rsplit(":", 1)[1])
    process = start_child(
        processes.daphne(port), env=env, cwd=ROOT, stdout=log(name), stderr=subprocess.STDOUT
    )
    server = Server(process, port)

    def serving():
        assert process.poll() is None, f"daphne exited; see {log_path(name)}"
        try:
            return urllib.request.urlopen(server.url + ready_path, timeout=1).status == 200
        except OSError:
            return False

    eventually(serving, timeout=30, message="daphne to serve")
    return server


def worker_node(name="celery-worker"):
    """The Celery node name start_worker gives a worker called `name` (%h is the host name)."""
    return f"{name}-{os.getpid()}@{socket.gethostname()}"


def suite_worker_nodes():
    """Node names of the suite's workers still running: a broadcast addressed to exactly these
    can stop waiting once each has answered, instead of waiting out its whole timeout."""
    alive = [p for p in map(process_of, STARTED.get("worker", [])) if p.poll() is None]
    return [worker_node()] if alive else []


def tell_suite_workers(command, queue):
    """`cancel_consumer` or `add_consumer` for `queue` on the suite's workers, done once they answer."""
    from playground.celery import app

    nodes = suite_worker_nodes()
    if nodes:
        getattr(app.control, command)(
            queue, reply=True, timeout=5, destination=nodes, limit=len(nodes)
        )


def start_worker(env, name="celery-worker", concurrency=2):
    from playground.celery import app as celery_app

    process = start_child(
        processes.worker(f"{name}-{os.getpid()}@%h", concurrency, quiet=True),
        env=env,
        cwd=ROOT,
        stdout=log(name),
        stderr=subprocess.STDOUT,
    )

    def ready():
        assert process.poll() is None, f"the Celery worker exited; see {log_path(name)}"
        replies = celery_app.control.ping(timeout=0.5)
        return any(node.startswith(f"{name}-{os.getpid()}@") for reply in replies for node in reply)

    eventually(ready, timeout=40, interval=0.2, message="the Celery worker")
    return process


def start_beat(env, schedule, name="celery-beat"):
    """Celery beat: it sends the styles' scheduled jobs (and heartbeats) through env's broker."""
    return start_child(
        processes.beat(schedule), env=env, cwd=ROOT, stdout=log(name), stderr=subprocess.STDOUT
    )


def start_producer(env, state_url):
    """The Streaming style's producer process (what `manage.py playground` starts), once it ticks."""
    process = start_child(
        [sys.executable, str(ROOT / "manage.py"), "streams_producer"],
        env=env,
        cwd=ROOT,
        stdout=log("streams-producer"),
        stderr=subprocess.STDOUT,
    )
    r = redis.Redis.from_url(state_url)
    eventually(
        lambda: process.poll() is None and r.exists("streams:producer"),
        timeout=30,
        message="the producer",
    )
    return process
