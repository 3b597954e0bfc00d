"""Celery tasks: they take ids, load rows and call plain functions."""

from celery import shared_task

MAX_BATCH = 20


def _steal(jobs):
    """Under load, take along fresh deliveries whose own jobs are still queued: sent in this batch,
    their jobs later find the dispatch number moved on and do nothing."""
    from .models import Delivery

    room = MAX_BATCH - len(jobs)
    if room <= 0:
        return []
    fresh = Delivery.objects.filter(
        state=Delivery.State.PENDING, attempts=0, dispatch=0, endpoint__disabled=False
    )
    return list(
        fresh.exclude(id__in=[j[0] for j in jobs])
        .order_by("id")
        .values_list("id", "dispatch")[:room]
    )


@shared_task(name="webhooks.deliver")
def deliver(jobs):
    """Attempt each (delivery id, dispatch number), together with any fresh ones waiting."""
    from .sender import deliver as send

    jobs = [tuple(job) for job in jobs]
    send(jobs + _steal(jobs))


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
