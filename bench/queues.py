"""Benchmark: a spike of 10,000 no-op jobs, with ledger recording, beside bare Celery.

    .venv/bin/python bench/queues.py [--jobs 10000] [--concurrency 2]

Both runs use the same embedded Redis broker, the same "jobs" queue and the same prefork worker
(same pool, same concurrency). For each: the worker is paused (cancel_consumer), the jobs are
enqueued (enqueue rate), the worker resumes (add_consumer) and the drain is timed until the broker
holds nothing, waiting or unacknowledged (drain rate). The worker's memory (main process and pool,
RSS) is sampled throughout.

- bare Celery: `queue.bare_noop`, no ledger, no side effect (the baseline);
- the playground: `queue.run_job` for kind "noop": a "queued" hop per job at enqueue, "started" and
  "done" hops and an idempotent side effect per job in the worker.

Targets: drain rate >= 0.5x bare Celery; zero jobs lost, zero doubled. Set DATABASE_URL to run on
PostgreSQL, on throwaway databases beside the one it names (the default is a fresh SQLite file).
"""

import argparse
import threading
import time

import psutil
import redis
from django.conf import settings
from django.core.management import call_command

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import DATA, start_redis, stop, wait_until, worker

from patterns.ledger.models import Message
from patterns.queue import journal, sender
from patterns.queue.kinds import QUEUE
from patterns.queue.models import Effect
from patterns.queue.tasks import bare_noop
from playground.celery import app


def start_worker(concurrency):
    process = worker(concurrency, "-Q", QUEUE)

    def ready():
        if process.poll() is not None:
            raise SystemExit(f"the worker exited; see {DATA / 'worker.log'}")
        return app.control.ping(timeout=0.5)

    wait_until(ready, 60, f"the worker did not start; see {DATA / 'worker.log'}", [process])
    return process


def control(command):
    app.control.broadcast(command, arguments={"queue": QUEUE}, reply=True, timeout=2, limit=1)


class MemoryWatch(threading.Thread):
    """Samples the worker's resident memory (main process + pool) every 50 ms; keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.process, self.peak, self.running = psutil.Process(pid), 0, True

    def run(self):
        while self.running:
            try:
                rss = sum(
                    p.memory_info().rss
                    for p in [self.process, *self.process.children(recursive=True)]
                )
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)


def drained(broker):
    """Nothing waiting, nothing unacknowledged, and (with the ledger) every hop committed."""
    return broker.llen(QUEUE) == 0 and broker.hlen("unacked") == 0 and journal.pending() == 0


def spike(name, n, enqueue, worker, broker):
    control("cancel_consumer")
    time.sleep(0.5)
    began = time.perf_counter()
    enqueue(n)
    enqueue_s = time.perf_counter() - began
    assert broker.llen(QUEUE) == n, f"{name}: the broker holds {broker.llen(QUEUE)} of {n}"
    watch = MemoryWatch(worker.pid)
    watch.start()
    began = time.perf_counter()
    control("add_consumer")
    while not drained(broker):
        time.sleep(0.01)
    drain_s = time.perf_counter() - began
    watch.running = False
    watch.join()
    return {
        "name": name,
        "enqueue_rate": n / enqueue_s,
        "drain_rate": n / drain_s,
        "drain_s": drain_s,
        "peak_mb": watch.peak / 2**20,
    }


def bare_enqueue(n):
    with app.producer_or_acquire() as producer:
        for i in range(n):
            bare_noop.apply_async(args=[i], queue=QUEUE, producer=producer)


def ledger_enqueue(n):
    sender.enqueue("noop", n, duration_ms=0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    server = start_redis()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        broker = redis.Redis.from_url(settings.REDIS_URLS["broker"])
        worker = start_worker(args.concurrency)
        try:
            bare = spike("bare Celery", args.jobs, bare_enqueue, worker, broker)
            ours = spike("with the ledger", args.jobs, ledger_enqueue, worker, broker)
        finally:
            stop([worker])
        report(args, bare, ours)
    finally:
        server.stop()


def report(args, bare, ours):
    done = Message.objects.filter(style="queue", hop="done")
    ids = set(
        Message.objects.filter(style="queue", hop="queued").values_list("correlation_id", flat=True)
    )
    lost = len(ids - set(done.values_list("correlation_id", flat=True)))
    doubled = (
        done.count()
        - done.values("correlation_id").distinct().count()
        + max(0, Effect.objects.count() - len(ids))
    )
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\nSpike of {args.jobs:,} no-op jobs · Redis broker · prefork, concurrency {args.concurrency} · {db}"
    )
    print(f"{'':18}{'enqueue jobs/s':>16}{'drain jobs/s':>14}{'drain s':>9}{'worker peak MB':>16}")
    for run in (bare, ours):
        print(
            f"{run['name']:18}{run['enqueue_rate']:16,.0f}{run['drain_rate']:14,.0f}{run['drain_s']:9.1f}{run['peak_mb']:16.0f}"
        )
    ratio = ours["drain_rate"] / bare["drain_rate"]
    print(
        f"ratio (ledger / bare): enqueue {ours['enqueue_rate'] / bare['enqueue_rate']:.2f}x, drain {ratio:.2f}x "
        f"(target >= 0.5x: {'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print(
        f"ledger: {len(ids):,} jobs sent, {done.count():,} done, {lost} lost, {doubled} doubled, "
        f"{Message.objects.filter(style='queue').count():,} hops recorded"
    )


if __name__ == "__main__":
    main()
