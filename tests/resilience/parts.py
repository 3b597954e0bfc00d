"""The resilience tests' installation, registered once as a plugin (tests/conftest.py) for its own
tests and the browser's."""

import pytest

from tests.resilience.stack import Stack, pause_suite_workers


@pytest.fixture
def stack(server_env):
    """Two daphne processes, two Celery workers and beat on one Redis of their own."""
    resume = pause_suite_workers()
    installation = Stack(server_env)
    yield installation
    installation.close()
    resume()
