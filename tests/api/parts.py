"""A real Celery beat for tests that need the poller's ticks (importable from any test module)."""

import subprocess
import sys

import pytest

from playground.processes import start_child, stop
from tests.conftest import ROOT, _log


@pytest.fixture(scope="session")
def celery_beat(server_env, tmp_path_factory):
    schedule = tmp_path_factory.mktemp("beat") / "schedule"
    process = start_child([sys.executable, "-m", "celery", "-A", "playground.celery", "beat", "--loglevel", "INFO",
                           "--schedule", str(schedule)], env=server_env, cwd=ROOT, stdout=_log("celery-beat"),
                          stderr=subprocess.STDOUT)
    yield process
    stop([process])
