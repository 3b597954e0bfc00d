"""Child processes that cannot outlive the playground.

Each child runs in its own session (so a terminal's Ctrl-C reaches only the manager, which then
stops the children in order) and is asked by the kernel to exit if the manager dies, even by
SIGKILL (PR_SET_PDEATHSIG on Linux). Stopping signals the child's whole process group, so a
Celery worker's pool processes go with it.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1


# The playground's processes, as `manage.py playground`, the tests and the benchmarks start them.


def daphne(port, host="127.0.0.1", proxy_headers=False):
    """A web process serving HTTP and WebSockets (--proxy-headers behind nginx)."""
    return [
        sys.executable,
        "-m",
        "daphne",
        *(["--proxy-headers"] if proxy_headers else []),
        "-b",
        host,
        "-p",
        str(port),
        "playground.asgi:application",
    ]


def worker(hostname, concurrency=2, loglevel="INFO", quiet=False):
    """A Celery worker; `quiet` leaves out the start-up chatter (mingle, gossip) a test does not need."""
    return [
        *_celery("worker", loglevel),
        "--concurrency",
        str(concurrency),
        "--hostname",
        hostname,
        *(["--without-mingle", "--without-gossip"] if quiet else []),
    ]


def beat(schedule, loglevel="INFO"):
    """Celery beat: there is one in a whole installation, or every scheduled job goes out twice."""
    return [*_celery("beat", loglevel), "--schedule", str(schedule)]


def _celery(role, loglevel):
    return [sys.executable, "-m", "celery", "-A", "playground.celery", role, "--loglevel", loglevel]


def _die_with_parent():
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_child(cmd, **kwargs):
    return subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)


def _signal_group(process, sig):
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop(processes, timeout=10):
    """SIGTERM each process group, wait up to `timeout` seconds in all, then SIGKILL what is left."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # The group may outlive its leader (a pool process still finishing): make sure.
        _signal_group(process, signal.SIGKILL)
        process.wait()
