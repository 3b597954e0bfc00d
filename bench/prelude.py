"""What every benchmark starts with, written once. A script imports it before any of the project's
own modules (the standard library and third-party packages may come first: importing them does not
read the settings), where an import sorter puts it anyway:

    import httpx

    # The path, a fresh data dir, the databases, Django: before any of the project's imports.
    from prelude import DATA, pct, spawn

    from patterns.ledger.models import Message

Importing it
- puts the project's root where Python put bench/ (the script's folder) on the path, so the
  project's packages and `bench.…` import as they do everywhere else;
- gives the run a fresh data dir (DATA: SQLite files, logs, the embedded Redis's socket) and a free
  port (PORT, BASE: where the script serves daphne or a playground), written to PLAYGROUND_DATA_DIR
  and PLAYGROUND_BASE_URL, so this process's settings and every child agree;
- drops REDIS_URL and CELERY_BROKER_URL: a benchmark runs its own embedded Redis (start_redis, or
  the playground command's);
- keeps the databases in DATA (SQLite); or, when DATABASE_URL names a PostgreSQL server, creates two
  throwaway databases beside the named one (which is never touched) and drops them at exit;
- sets Django up.
The helpers below start what a benchmark measures: the embedded Redis, daphne, a Celery worker, beat,
a whole playground; wait for it; and take percentiles.
"""

import atexit
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import django
import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]
DATA = Path(tempfile.mkdtemp(prefix=f"pg-bench-{Path(sys.argv[0]).stem}-"))


def free_port():
    # Not playground.embedded_redis's: importing the project package reads the settings (its Celery
    # app is made current there), which must wait until the environment below is set.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"


def _databases():
    """SQLite in DATA, or throwaway PostgreSQL databases beside the one DATABASE_URL names."""
    url = os.environ.pop("DATABASE_URL", "")
    os.environ.pop("SHOP_DATABASE_URL", None)
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    names = [f"bench_{os.getpid()}", f"bench_shop_{os.getpid()}"]
    admin = psycopg.connect(url, autocommit=True)
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')

    @atexit.register
    def drop():
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    beside = [urlsplit(url)._replace(path=f"/{name}").geturl() for name in names]
    os.environ.update(DATABASE_URL=beside[0], SHOP_DATABASE_URL=beside[1])


if settings.configured:  # read already, without the environment below: the run would not be in DATA
    raise RuntimeError(
        "import prelude before anything of the project's (importing `playground` reads the settings)"
    )
for _name in ("REDIS_URL", "CELERY_BROKER_URL"):
    os.environ.pop(_name, None)
_databases()
os.environ.update(
    PLAYGROUND_DATA_DIR=str(DATA),
    PLAYGROUND_BASE_URL=BASE,
    DJANGO_SETTINGS_MODULE="playground.settings",
    PYTHONUNBUFFERED="1",
)
django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)


def postgres():
    """Whether this run is on PostgreSQL (throwaway databases) rather than SQLite."""
    return "DATABASE_URL" in os.environ


def pct(values, p):
    """The p-th percentile (1 … 99) of `values`; the value itself if there is one, nan if none."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def stop(processes, timeout=10):
    from playground.processes import stop

    stop(processes, timeout)


def start_redis():
    """The embedded Redis, in DATA; the caller stops it."""
    from playground.embedded_redis import EmbeddedRedis

    return EmbeddedRedis(settings.DATA_DIR, settings.REDIS_SOCKET).start()


def spawn(name, cmd, env=None):
    """`cmd` as a child that cannot outlive this process, run in the project's root; its output goes
    to DATA/<name>.log. `env` adds to this process's environment."""
    from playground.processes import start_child

    log = open(DATA / f"{name}.log", "ab")
    return start_child(
        list(cmd),
        env=dict(os.environ, **(env or {})),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


# daphne, a worker and beat as the playground command starts them (playground/processes.py).


def daphne(port=PORT, env=None):
    from playground import processes

    return spawn("daphne", processes.daphne(port), env)


def worker(concurrency, *options):
    """A Celery worker, quiet (no mingle, no gossip, warnings only); `options` follow its own."""
    from playground import processes

    return spawn(
        "worker",
        [
            *processes.worker(f"bench-{os.getpid()}@%h", concurrency, "WARNING", quiet=True),
            *options,
        ],
    )


def beat():
    from playground import processes

    return spawn("beat", processes.beat(DATA / "beat-schedule", "WARNING"))


def answers(url):
    """Whether `url` answers 200 within a second."""
    return httpx.get(url, timeout=1).status_code == 200


def wait_until(ready, seconds, failure, children=()):
    """Poll `ready()` until it is true; an error on the way (a port not yet open) counts as "not
    yet". After `seconds`, stop `children` and exit with `failure`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except (OSError, httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    stop(list(children))
    raise SystemExit(failure)


def serving(children):
    """Wait until the web process answers and a worker replies to a ping; `children` are stopped
    (and the run ends) if they do not within a minute. Returns `children`."""
    from playground.celery import app as celery_app

    wait_until(
        lambda: answers(f"{BASE}/api/stats") and celery_app.control.ping(timeout=0.5),
        60,
        f"the web process or the worker did not start; see {DATA}",
        children,
    )
    return children


def start_playground(*options, port=PORT, env=None, seconds=120):
    """`manage.py playground --port PORT options…` (daphne, a worker, beat, its own embedded Redis),
    once it says it is ready; its output goes to DATA/playground.log. Stop it with
    stop([process], timeout=30), which lets it stop its children in order."""
    log = DATA / "playground.log"
    process = spawn(
        "playground",
        [sys.executable, "manage.py", "playground", "--port", str(port), *options],
        env,
    )

    def ready():
        if process.poll() is not None:
            raise SystemExit(
                f"the playground exited; see {log}\n{log.read_text(errors='replace')[-3000:]}"
            )
        return "The playground is ready" in log.read_text(errors="replace")

    wait_until(ready, seconds, f"the playground did not start; see {log}", [process])
    return process
