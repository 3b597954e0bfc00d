"""Worker-side remote-control commands (Celery's broadcast mechanism), run in each worker's main
process: report the pool's processes and the job each is on, and crash the process running a job.

The web app sends them with `app.control.broadcast(...)`, exactly like Celery's own pool_grow or
cancel_consumer, so they work wherever the worker runs.
"""

import os
import signal
import time

from celery.worker import state as worker_state
from celery.worker.control import control_command, inspect_command, pool_shrink

from . import journal, worker
from .kinds import QUEUE

TASK = "queue.run_job"
CRASH_MARGIN_S = 0.01  # journal write and signal take well under this, even on a busy machine


def _work_left_s(request, job, now):
    """How much of its planned work a job surely still has ahead (0 when unknown)."""
    if not request.time_start:
        return 0.0
    return (job.get("duration_ms") or 0) / 1000 - (now - request.time_start)


def _running_jobs():
    for request in list(worker_state.active_requests):
        if request.name == TASK and request.worker_pid and request.args:
            yield request, request.args[0]


@inspect_command()
def queue_lanes(state, **kwargs):
    """This worker's processes, the job each is on, and whether it takes jobs from the queue."""
    consumer = state.consumer
    processes = list(consumer.pool.info.get("processes", [])) if consumer.pool else []
    size = getattr(
        consumer.pool, "num_processes", len(processes)
    )  # a stopping process still has a pid
    jobs = [
        {
            "pid": r.worker_pid,
            "job_id": job.get("job_id"),
            "kind": job.get("kind"),
            "task_id": r.id,
            "running_s": round(time.time() - r.time_start, 3) if r.time_start else 0,
        }
        for r, job in _running_jobs()
    ]
    task_consumer = consumer.task_consumer
    consuming = bool(task_consumer) and any(q.name == QUEUE for q in task_consumer.queues)
    # Jobs this worker has taken from the queue (prefetched) but not started: they wait here.
    held = sum(1 for r in list(worker_state.reserved_requests) if r.name == TASK) - len(jobs)
    return {
        "processes": processes,
        "size": size,
        "jobs": jobs,
        "prefetched": max(0, held),
        "consuming": consuming,
    }


@control_command(args=[("job_id", str)], signature="[job_id]")
def queue_crash_job(state, job_id=None, **kwargs):
    """SIGKILL the pool process running `job_id` (or any job): a crash mid-job, for real."""
    # Only a job with part of its work still ahead is surely mid-job: this list is the main
    # process's view, and a job of a few milliseconds may be over in its process (its result not
    # yet read) by the time the signal lands; then nothing would be lost and nothing redelivered.
    # A job cannot end before its accept time plus its planned work, as its process sleeps that long.
    now = time.time()
    running = sorted(
        (pair for pair in _running_jobs() if _work_left_s(pair[0], pair[1], now) >= CRASH_MARGIN_S),
        key=lambda pair: -_work_left_s(pair[0], pair[1], now),
    )
    for request, job in running:
        if job_id in (None, "", job.get("job_id")):
            attempt = (request.request_dict.get("retries") or 0) + 1
            start = worker.lost_start(
                job,
                attempt,
                request.hostname,
                request.worker_pid,
                request.time_start or time.time(),
            )
            if start:
                journal.append(start)  # before the kill: ahead of the redelivery's own start
            os.kill(request.worker_pid, signal.SIGKILL)
            return {
                "ok": "killed",
                "pid": request.worker_pid,
                "job_id": job.get("job_id"),
                "kind": job.get("kind"),
            }
    return {"error": "no job on this worker has enough of its work left to be crashed mid-job"}


@control_command()
def queue_pool_shrink(state, **kwargs):
    """Celery's pool_shrink, refused when it would stop this worker's last process."""
    if getattr(state.consumer.pool, "num_processes", 2) <= 1:
        return {"error": "this worker has one process left; it stays"}
    try:
        return pool_shrink(state, n=1)
    except ValueError as exc:  # billiard stops only an idle process
        return {"error": str(exc)}
