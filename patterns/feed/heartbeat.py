"""Heartbeats: Celery workers and beat say "I am alive" in Redis every few seconds.

The health page reads them instead of broadcasting a ping to every worker on each request, so
checking health stays cheap with a room full of pages open. Connected to Celery's own signals.
"""

import logging
import socket
import threading
import time

import redis
from celery.signals import beat_init, worker_ready, worker_shutdown

from patterns.site import redisclient

INTERVAL = 5  # seconds between heartbeats
WORKERS_KEY = "playground:heartbeat:workers"
BEAT_KEY = "playground:heartbeat:beat"
log = logging.getLogger(__name__)


def client():
    return redisclient.client()


def _beat_forever(write):
    def run():
        while True:
            try:
                write(client())
            except redis.RedisError as exc:  # Redis down: the health page will say so
                log.debug("heartbeat not written: %s", exc)
            time.sleep(INTERVAL)

    threading.Thread(target=run, name="heartbeat", daemon=True).start()


@worker_ready.connect
def _worker_alive(sender=None, **kwargs):
    name = getattr(sender, "hostname", None) or socket.gethostname()
    _beat_forever(lambda r: r.hset(WORKERS_KEY, name, time.time()))


@worker_shutdown.connect
def _worker_gone(sender=None, **kwargs):
    name = getattr(sender, "hostname", None) or socket.gethostname()
    try:
        client().hdel(WORKERS_KEY, name)
    except redis.RedisError:
        pass


@beat_init.connect
def _beat_alive(sender=None, **kwargs):
    _beat_forever(lambda r: r.set(BEAT_KEY, time.time()))
