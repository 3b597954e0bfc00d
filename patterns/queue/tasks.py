from celery import shared_task

from . import remote  # noqa: F401  (registers the worker-side control commands in every worker)
from .kinds import MAX_RETRIES


@shared_task(
    bind=True,
    name="queue.run_job",
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_job(self, job):
    """A background job: the message is the job (see contracts.py); worker.run does the work."""
    from .worker import run

    def retry(countdown, exc):
        return self.retry(countdown=countdown, exc=exc, throw=False)

    return run(job, self.request.retries + 1, self.request.hostname, retry)


@shared_task(name="queue.bare_noop", acks_late=True)
def bare_noop(n):
    """The benchmark's baseline: a no-op job with no ledger and no side effect (bench/queues.py)."""
    return n


@shared_task(name="queue.sweep")
def sweep():
    """Beat's tick for this style: hand the outbox's due jobs to the broker (after an outage), and
    every few seconds look for jobs the broker lost."""
    from django.core.cache import cache

    from . import outbox

    handed = outbox.sweep()
    if cache.add("queue:lost-check", 1, timeout=outbox.LOST_CHECK_EVERY_S):
        handed += outbox.recover_lost()
    return handed
