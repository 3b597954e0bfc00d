"""`manage.py playground` runs the streams producer too: no extra process for the user to remember,
and when it dies the command says so and stops the rest."""

import pytest

from tests.resilience.command import alive, descendants, output_after_exit, ready

pytestmark = pytest.mark.slow  # starts a whole playground


def test_the_playground_starts_the_producer_and_stops_everything_when_it_dies(playground):
    ready(playground)
    children = descendants(playground)
    [producer] = [p for p in children if "streams_producer" in p.cmdline()]
    producer.kill()
    output = output_after_exit(playground)
    assert "✓ producer (streams: ticker and match) started" in output
    assert "producer (streams: ticker and match) exited" in output and "stopping the rest" in output
    assert playground.returncode != 0 and alive(children) == []
