"""Celery tasks: they take ids, load rows and call plain functions."""

from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.db import close_old_connections, connections

MAX_THREADS = 8


def _attempt_in_thread(job):
    from .sender import attempt

    try:
        return attempt(*job)
    finally:
        connections.close_all()  # this thread's own database connection


@shared_task(name="webhooks.deliver")
def deliver(jobs):
    """Attempt each (delivery id, dispatch number); several at once, so one hanging receiver does
    not hold up the others in the same job."""
    from .sender import attempt

    close_old_connections()
    if len(jobs) == 1:
        attempt(*jobs[0])
        return
    with ThreadPoolExecutor(max_workers=min(MAX_THREADS, len(jobs))) as pool:
        list(pool.map(_attempt_in_thread, jobs))


@shared_task(name="webhooks.tick")
def tick():
    """Beat's heartbeat for this style: hand over due deliveries; let the poller poll if it is due."""
    from . import poller, sweeper

    sweeper.sweep()
    poller.tick()


@shared_task(name="webhooks.attack")
def attack(kind):
    from . import attacks

    attacks.run(kind)
