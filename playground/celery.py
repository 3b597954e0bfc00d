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
app.conf.imports = [*app.conf.imports, "patterns.feed.heartbeat"]


@app.on_after_finalize.connect
def _declared_beat_schedule(sender, **kwargs):
    """Every app declares its periodic jobs; beat reads them once Django has loaded the apps
    (beat and workers set Django up before they finalize the app)."""
    from django.apps import apps

    if apps.ready:
        from playground.plugins import beat_schedule

        sender.conf.beat_schedule = beat_schedule()


def _survive_a_vanished_broker():
    """Keep a worker alive when Redis vanishes mid-demo (kombu 5.7).

    After the connection is lost, kombu's Redis channel can still be asked for a client — to put
    unacknowledged jobs back while closing, or to acknowledge a job that finished meanwhile — and
    it builds one from the connection's settings, which are already gone: AttributeError. kombu
    does not count that as a connection error, so Celery calls it unrecoverable and the worker
    exits (tests/resilience/test_outage.py saw both workers die, in two places). Raised as the
    connection error it is, it is handled like any other: the ack is retried by redelivery, the
    worker reconnects when Redis is back.
    """
    import redis
    from kombu.transport import redis as kombu_redis

    original = kombu_redis.Channel._connparams

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise redis.exceptions.ConnectionError("the connection to the broker is closed")
        return original(self, asynchronous=asynchronous)

    kombu_redis.Channel._connparams = _connparams


_survive_a_vanished_broker()


def _give_up_on_a_timeout(exc, interval):
    """Publishing is retried once, at once, after a connection error (a pooled connection left over
    from before a Redis restart), never after a timeout: a frozen broker then costs a request one
    socket timeout, not two, and the job waits in its outbox."""
    import redis

    if isinstance(exc, (redis.TimeoutError, TimeoutError)):
        raise exc


app.conf.task_publish_retry_policy = {
    **app.conf.task_publish_retry_policy,
    "errback": _give_up_on_a_timeout,
}
