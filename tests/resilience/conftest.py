import pytest

from .stack import Stack, pause_suite_workers


@pytest.fixture
def stack(server_env):
    """Two daphne processes, two Celery workers and beat on one Redis of their own."""
    resume = pause_suite_workers()
    installation = Stack(server_env)
    yield installation
    installation.close()
    resume()
