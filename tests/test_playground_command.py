"""`manage.py playground` as a user runs it: on a fresh machine (embedded Redis, SQLite)."""

import signal

import pytest

from tests.command import alive, descendants, output_after_exit, ready

pytestmark = pytest.mark.slow  # each test starts a whole playground


def test_it_serves_the_home_page_and_leaves_no_process_after_sigterm(playground):
    ready(playground)
    children = descendants(playground)
    names = " ".join(" ".join(p.cmdline()) for p in children)
    assert "redis-server" in names and names.count("daphne") == 2 and "worker" in names and "beat" in names
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
