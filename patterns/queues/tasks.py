from celery import shared_task

from . import remote  # noqa: F401  (registers the worker-side control commands in every worker)
from .kinds import MAX_RETRIES


@shared_task(bind=True, name="queue.run_job", max_retries=MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
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
