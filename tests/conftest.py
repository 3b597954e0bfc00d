"""Real parts for the tests: a real Redis (embedded, or REDIS_URL), a real Celery worker and a
real daphne, each as its own process sharing the test database, and a real Chromium.

Settings give every test run its own data dir, database name and Redis DB numbers (see
playground/settings.py, TESTING), so a run never touches a playground running beside it.
"""

import os
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from playground.embedded_redis import EmbeddedRedis, free_port
from playground.processes import stop
from tests.servers import ARTIFACTS, OUTSIDE_HOST, start_beat, start_daphne, start_worker, suite

# Fixtures used beyond their own folder, registered once for the whole run. A test module never
# imports a fixture: pytest would give that module its own copy, and a session fixture's copy
# starts its own process (two beats send every scheduled job twice).
pytest_plugins = [
    "tests.streams.parts",
    "tests.webhooks.parts",
    "tests.tours.parts",
    "tests.resilience.parts",
    "tests.command",
]


def pytest_collection_modifyitems(config, items):
    # Browser tests run last in each process (each xdist worker takes files in this order, see
    # pytest.ini): sync Playwright keeps an event loop in the main thread, which Django's
    # async-safety check would see in every later database test.
    # Every resilience test builds an installation of its own (Redis, daphnes, workers): slow.
    for item in items:
        path = str(item.fspath).replace(os.sep, "/")
        if "tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
        if "tests/resilience/" in path:
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _flush_again_after_a_deadlock():
    """A transactional test ends with TRUNCATE of every table, which takes each table's exclusive
    lock while the suite's worker and beat (they run for the whole session) read some of them:
    PostgreSQL may then pick the TRUNCATE as a deadlock's victim, and the failed flush left rows
    that broke the tests after it. Flushing again, as anyone would, ends it."""
    from django.core.management.base import CommandError
    from django.core.management.commands import flush

    handle = flush.Command.handle

    def handle_again_after_a_deadlock(self, **options):
        for attempt in range(5):
            try:
                return handle(self, **options)
            except CommandError as exc:
                if attempt == 4 or "deadlock" not in str(exc.__cause__).lower():
                    raise
                time.sleep(0.2 * (attempt + 1))

    flush.Command.handle = handle_again_after_a_deadlock


_flush_again_after_a_deadlock()


@pytest.fixture(scope="session", autouse=True)
def redis_server():
    """The suite's Redis: embedded on the settings' socket, or the one at REDIS_URL."""
    server = (
        EmbeddedRedis(settings.DATA_DIR, settings.REDIS_SOCKET).start()
        if settings.EMBEDDED_REDIS
        else None
    )
    for use in settings.REDIS_URLS:
        redis.Redis.from_url(settings.REDIS_URLS[use]).flushdb()
    yield server
    if server:
        server.stop()
    if Path(settings.DATA_DIR).name.startswith("playground-test-"):
        shutil.rmtree(settings.DATA_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_guessed_room_codes(redis_server):
    """Every test starts with no misses counted against its client (all tests share 127.0.0.1)."""
    from patterns.rooms import guesses

    client = redis.Redis.from_url(settings.REDIS_URLS["state"])
    keys = list(client.scan_iter(match=f"{guesses.PREFIX}*"))
    if keys:
        client.delete(*keys)


def _database_url(db):
    """The URL of a test database (pytest-django has already put its test NAME in place)."""
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, dropped at the end even on PostgreSQL: connections that
    other threads of this process opened (channels' database_sync_to_async, the ledger's writer
    thread) are still open then, and DROP DATABASE refuses a database in use, which left one
    test database behind per run."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [connection.settings_dict["NAME"]],
                )


@pytest.fixture(scope="session")
def server_env(django_db_setup, redis_server):
    """Environment for child processes: the test database, this run's data dir and Redis DBs, and
    PLAYGROUND_BASE_URL: the port the suite's daphne (`asgi_server`) will serve on."""
    urls = {alias: _database_url(settings.DATABASES[alias]) for alias in ("default", "shop")}
    env = dict(
        os.environ,
        DATABASE_URL=urls["default"],
        SHOP_DATABASE_URL=urls["shop"],
        PLAYGROUND_BASE_URL=f"http://127.0.0.1:{free_port()}",
        PLAYGROUND_DATA_DIR=str(settings.DATA_DIR),
        PLAYGROUND_REDIS_DB=str(settings.REDIS_DB_BASE),
        PLAYGROUND_TIME_SCALE=str(settings.PLAYGROUND_TIME_SCALE),
        DJANGO_SETTINGS_MODULE="playground.settings",
        PYTHONUNBUFFERED="1",
        DEBUG="true",
    )
    env.pop("PLAYGROUND_HTTPS", None)
    # Test endpoints "outside the playground" listen on OUTSIDE_HOST, opened as a classroom LAN would be.
    env["WEBHOOKS_ALLOWED_NETWORKS"] = f"{OUTSIDE_HOST}/32"
    settings.PLAYGROUND_BASE_URL = env["PLAYGROUND_BASE_URL"]  # this process calls the same server
    settings.WEBHOOKS_ALLOWED_NETWORKS = [f"{OUTSIDE_HOST}/32"]
    return env


@pytest.fixture(scope="session")
def asgi_server(server_env):
    """A real daphne serving the playground (HTTP and WebSockets) on the test database."""
    server = suite("daphne", lambda: start_daphne(server_env))
    yield server
    stop([server.process])


@pytest.fixture(scope="session")
def celery_worker(server_env):
    """A real Celery worker process (prefork, 2 processes) on the suite's Redis broker."""
    process = suite("worker", lambda: start_worker(server_env))
    yield process
    stop([process])


@pytest.fixture(scope="session")
def celery_beat(server_env):
    """The suite's one Celery beat: it sends the styles' scheduled jobs (the webhook sweeper's tick,
    the poller's, the night's schedule) and heartbeats. Two would send every scheduled job twice."""
    process = suite(
        "beat", lambda: start_beat(server_env, Path(settings.DATA_DIR) / "test-beat-schedule")
    )
    yield process
    stop([process])


# Browser tests ------------------------------------------------------------------------------


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        if os.environ.get("PLAYGROUND_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (PLAYGROUND_REQUIRE_BROWSER) but not installed")
        pytest.skip("browser tests need Chromium: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_server(asgi_server, celery_worker, celery_beat, transactional_db):
    """For a browser test: daphne and a worker on a committed database. Sync Playwright holds an
    event loop in this thread, so Django's async-safety check must stand aside (tests only)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return asgi_server


@pytest.fixture
def shop(django_db_blocker):
    """Shop's database with its believable data, on its original schema (restored afterwards)."""
    from patterns.shop import schema
    from patterns.shop.seed import seed

    with django_db_blocker.unblock():
        schema.restore()
        seed()
    yield
    with django_db_blocker.unblock():
        schema.restore()


@pytest.fixture
def clean_shop_state(redis_server):
    """Shop's API switches, every client's rate-limit bucket and the poller wiped (before and after)."""
    from patterns.api import poller, state
    from tests.helpers import eventually

    def wipe():
        redis = state.client()
        # No beat tick starts another poll, and one in flight ends within this test: recorded
        # after its flush, it would be a stray row in the next test's ledger.
        redis.delete(poller.RUNNING)
        eventually(
            lambda: not any(redis.scan_iter(match=f"{state.PREFIX}*poller:lock")),
            timeout=15,
            message="a poll in flight to finish",
        )
        keys = list(redis.scan_iter(match=f"{state.PREFIX}*"))
        if keys:
            redis.delete(*keys)

    wipe()
    yield
    wipe()


@pytest.fixture
def screenshot(page, request):
    def take(name, of=None):
        path = ARTIFACTS / "screenshots" / f"{request.node.name}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        target = of or page
        if hasattr(target, "goto"):  # a whole page (this one or another tab)
            target.screenshot(path=str(path), full_page=True)
        else:  # a part of a page: a Locator has no full_page
            target.screenshot(path=str(path))
        return path

    return take
