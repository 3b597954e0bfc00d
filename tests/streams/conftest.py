import subprocess
import sys

import pytest
import redis
from django.conf import settings

from playground.processes import start_child, stop
from tests.conftest import ROOT, _log, wait_for


@pytest.fixture(scope="session")
def producer(server_env):
    """The Streaming style's producer process (what `manage.py playground` starts)."""
    process = start_child([sys.executable, str(ROOT / "manage.py"), "streams_producer"], env=server_env, cwd=ROOT,
                          stdout=_log("streams-producer"), stderr=subprocess.STDOUT)
    r = redis.Redis.from_url(settings.REDIS_URLS["state"])
    wait_for(lambda: process.poll() is None and r.exists("streams:producer"), timeout=30, message="the producer")
    yield process
    stop([process])


@pytest.fixture
def streams_state():
    """Ticker and match stopped before and after a test."""
    r = redis.Redis.from_url(settings.REDIS_URLS["state"])
    for key in ("streams:ticker", "streams:match"):
        r.delete(key)
    yield r
    for key in ("streams:ticker", "streams:match"):
        r.delete(key)
