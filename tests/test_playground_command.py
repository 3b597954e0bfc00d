"""`manage.py playground` as a user runs it: on a fresh machine (embedded Redis, SQLite)."""

import json
import signal
import urllib.request

import pytest

from tests.helpers import eventually
from tests.resilience import command
from tests.resilience.command import alive, descendants, output_after_exit, ready

pytestmark = pytest.mark.slow  # each test starts a whole playground


def test_it_serves_the_home_page_and_leaves_no_process_after_sigterm(playground):
    ready(playground)
    # "ready" waits for the worker's and beat's first heartbeats: a page opened now is all green.
    with urllib.request.urlopen(playground.url + "api/health", timeout=10) as response:
        health = json.load(response)
    assert [c["name"] for c in health["components"] if not c["up"]] == [], health
    children = descendants(playground)
    names = " ".join(" ".join(p.cmdline()) for p in children)
    assert (
        "redis-server" in names
        and names.count("daphne") == 2
        and "worker" in names
        and "beat" in names
    )
    playground.send_signal(signal.SIGTERM)
    output = output_after_exit(playground)
    assert playground.returncode == 0, output
    assert "The playground is ready: open " + playground.url in output
    assert alive(children) == []


def test_when_a_child_dies_it_says_which_and_stops_the_rest(playground):
    ready(playground)
    children = descendants(playground)
    [beat] = [p for p in children if "beat" in p.cmdline()]
    beat.kill()
    output = output_after_exit(playground)
    assert playground.returncode != 0
    assert "beat (celery) exited" in output and "stopping the rest" in output
    assert alive(children) == []


def test_a_killed_embedded_redis_is_started_again_where_it_was_until_it_keeps_exiting(playground):
    ready(playground)
    children = descendants(playground)
    port = command.redis_port(command.embedded_redis(playground))
    for n in (1, 2):
        command.embedded_redis(playground).kill()
        eventually(
            lambda n=n: sum("started again" in line for line in playground.lines) == n,
            timeout=10,
            interval=0.1,
            message=f"restart {n}",
        )
        redis = command.embedded_redis(playground)
        assert command.redis_port(redis) == port and redis.pid not in {p.pid for p in children}
        children.append(redis)
        assert urllib.request.urlopen(playground.url, timeout=5).status == 200
    command.embedded_redis(playground).kill()  # a third exit within a minute: something is wrong
    output = output_after_exit(playground)
    assert playground.returncode != 0
    assert (
        "the embedded Redis exited 3 times within a minute" in output
        and "stopping everything" in output
    )
    assert alive(children) == []
