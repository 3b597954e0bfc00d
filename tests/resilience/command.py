"""`manage.py playground` run by a test as a user runs it: its own data dir (so its own embedded
Redis), free ports, its output collected line by line."""

import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request

import psutil

from playground.embedded_redis import free_port
from tests.helpers import eventually
from tests.servers import ROOT

OWN = ("REDIS_URL", "CELERY_BROKER_URL", "PLAYGROUND_BASE_URL")


def port_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def start(env, workers=1, web=2):
    """The command on free ports and a fresh, short data dir (the Redis socket lives there)."""
    env = {k: v for k, v in env.items() if k not in OWN}
    env.update(PLAYGROUND_DATA_DIR=tempfile.mkdtemp(prefix="pg-cmd-"), PYTHONUNBUFFERED="1")
    port = free_port()
    while not all(port_free(p) for p in range(port + 1, port + web)):
        port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "playground",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--web",
            str(web),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.urls = [f"http://127.0.0.1:{p}/" for p in range(port, port + web)]
    process.url = process.urls[0]
    process.lines, process.reader_done = [], threading.Event()

    def read():
        process.lines.extend(process.stdout)  # until the pipe closes with the last child
        process.reader_done.set()

    threading.Thread(target=read, daemon=True).start()
    return process


def finish(process):
    if process.poll() is None:
        process.kill()
    process.wait()


def said(process, text, timeout=60):
    """Until the command has printed `text` (fails at once if it exited)."""

    def found():
        assert process.poll() is None, "the playground exited:\n" + "".join(process.lines)
        return any(text in line for line in process.lines)

    return eventually(
        found, timeout=timeout, interval=0.1, message=f"the playground to say {text!r}"
    )


def ready(process):
    """The command has said it is ready, and every web process really answers."""
    said(process, "is ready")
    for url in process.urls:
        assert urllib.request.urlopen(url, timeout=5).status == 200


def descendants(process):
    return psutil.Process(process.pid).children(recursive=True)


def embedded_redis(process):
    [redis] = [p for p in descendants(process) if "redis-server" in " ".join(p.cmdline())]
    return redis


def redis_port(redis):
    cmdline = redis.cmdline()
    return (
        cmdline[cmdline.index("--port") + 1]
        if "--port" in cmdline
        else cmdline[-1].rsplit(":", 1)[-1]
    )


def alive(processes):
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def output_after_exit(process):
    process.wait(60)
    eventually(
        lambda: not process.stdout or process.stdout.closed or process.reader_done.is_set(),
        timeout=10,
        message="the last lines to be read",
    )
    return "".join(process.lines)
