"""The Celery app. Started as `celery -A playground.celery worker` (the `playground` command does it).

Django code gets the app by importing this module (the ledger app does so when ready), so
`.delay()` anywhere sends through the configured broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")

app = Celery("playground")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Workers and beat announce themselves for the health page (signals connect on import).
app.conf.imports = [*app.conf.imports, "patterns.ledger.heartbeat"]


def _survive_a_vanished_broker():
    """Keep a worker alive when Redis vanishes mid-demo (kombu 5.7).

    On a lost connection the worker closes its channel, and closing it tries to put its
    unacknowledged jobs back through a client built from the connection's settings, which are
    already gone: AttributeError, which kombu does not count as a connection error, so Celery
    calls it unrecoverable and the worker exits (tests/resilience/test_outage.py saw both workers
    die). Treated as the connection error it is, the worker reconnects when Redis is back; the
    jobs it held stay in Redis's unacknowledged set, and come back like any held job.
    """
    from kombu import Connection

    original = Connection.maybe_close_channel

    def maybe_close_channel(self, channel):
        try:
            original(self, channel)
        except AttributeError:
            pass

    Connection.maybe_close_channel = maybe_close_channel


_survive_a_vanished_broker()
