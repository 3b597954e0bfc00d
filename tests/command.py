"""`manage.py playground` as a user runs it, on a fresh machine (embedded Redis, SQLite): the
`playground` fixture and what its tests ask of it. Registered once as a plugin (tests/conftest.py),
used by tests/test_playground_command.py and tests/streams/test_playground.py."""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request

import psutil
import pytest

from playground.embedded_redis import free_port
from tests.helpers import eventually
from tests.servers import ROOT


@pytest.fixture
def playground():
    """Start the command in a fresh data dir, as on a machine without Redis or PostgreSQL."""
    data_dir = tempfile.mkdtemp(prefix="pg-cmd-")  # short: the Redis socket lives here
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "DATABASE_URL", "SHOP_DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(PLAYGROUND_DATA_DIR=data_dir, PYTHONUNBUFFERED="1")
    port = free_port()
    while not port_free(port + 1):
        port = free_port()
    process = subprocess.Popen([sys.executable, "manage.py", "playground", "--port", str(port), "--workers", "1", "--web", "2"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    process.url, process.second_url = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port + 1}/"
    process.lines = []
    process.reader = threading.Thread(target=lambda: process.lines.extend(process.stdout), daemon=True)
    process.reader.start()
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def ready(playground):
    """The command has said it is ready, and / really answers."""
    def said_ready():
        assert playground.poll() is None, "the playground exited:\n" + "".join(playground.lines)
        return any("is ready" in line for line in playground.lines)

    eventually(said_ready, timeout=60, interval=0.2, message="the playground to say it is ready")
    assert urllib.request.urlopen(playground.url, timeout=5).status == 200
    assert urllib.request.urlopen(playground.second_url, timeout=5).status == 200  # --web 2


def output_after_exit(playground):
    playground.wait(60)
    playground.reader.join(10)  # until it has read the last lines (the pipe closes with the last child)
    return "".join(playground.lines)


def port_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def descendants(process):
    return psutil.Process(process.pid).children(recursive=True)


def alive(processes):
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
