"""The Streaming style's parts, registered once as a plugin (tests/conftest.py) for its own tests
and the browser's: the producer process and a clean ticker and match."""

import pytest
import redis
from django.conf import settings

from playground.processes import stop
from tests.servers import start_producer, suite


@pytest.fixture(scope="session")
def producer(server_env):
    """The suite's one producer process (what `manage.py playground` starts); a second would emit
    every price twice."""
    process = suite("producer", lambda: start_producer(server_env, settings.REDIS_URLS["state"]))
    yield process
    stop([process])


@pytest.fixture
def streams_state():
    """Every world's ticker and match stopped, and its chat buckets full, before and after a test."""
    r = redis.Redis.from_url(settings.REDIS_URLS["state"])

    def wipe():
        keys = [
            *r.scan_iter(match="streams:room:*"),
            *r.scan_iter(match="streams:rate:*"),
            *("streams:ticker", "streams:match", "streams:worlds"),
        ]
        r.delete(*keys)

    wipe()
    yield r
    wipe()
