"""The `playground` fixture: `manage.py playground` as a user runs it, on a fresh machine (embedded
Redis, SQLite), started by tests/resilience/command.py. Registered once as a plugin (tests/conftest.py),
used by tests/test_playground_command.py and tests/streams/test_playground.py."""

import os

import pytest

from tests.resilience import command


@pytest.fixture
def playground():
    """Start the command in a fresh data dir, as on a machine without Redis or PostgreSQL."""
    process = command.start(
        {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SHOP_DATABASE_URL")},
        workers=1,
        web=2,
    )
    yield process
    command.finish(process)
