"""Benchmark: webhooks to Shop's built-in receiver, beside a baseline of plain POSTs.

    .venv/bin/python bench/webhooks.py [--events 1000] [--idle 100] [--clients 2]

1. Idle: events fired one at a time, each waited for: event-to-delivered p50/p95.
   Target: p95 < 100 ms.
2. Burst: 1,000 events fired as fast as this process can through the outbox, workers running:
   event-to-delivered p50/p95 under load.
3. Backlog: the worker stopped, 1,000 events fired, the worker started again: deliveries/s from
   the first to the last delivery (the sender's own speed, not the speed of firing).
4. Baseline, same run: plain httpx POSTs of the same bodies, signed, to the same receiver, from
   `--clients` threads (the worker's two processes). Target: throughput >= 0.3 x the baseline.
Nothing lost: every event fired is processed by Shop exactly once.

Runs on its own data dir, SQLite (or throwaway PostgreSQL databases when DATABASE_URL names a
server) and embedded Redis, with a real daphne, Celery worker and beat.
"""

import argparse
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.conf import settings
from django.core.management import call_command

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import beat, daphne, pct, serving, start_redis, stop, worker

from patterns.ledger.models import Message
from patterns.webhooks import outbox, shop, signing
from patterns.webhooks.models import Delivery, Event, Processed


def start_parts():
    return serving([daphne(), worker(2), beat()])


def latencies(events):
    rows = Delivery.objects.filter(event__in=events, state="delivered").values_list(
        "delivered_at", "event__created_at"
    )
    return [(d - c).total_seconds() * 1000 for d, c in rows]


def wait_delivered(events, timeout=600):
    deadline = time.monotonic() + timeout
    while Delivery.objects.filter(event__in=events).exclude(state="delivered").exists():
        if time.monotonic() > deadline:
            raise SystemExit("deliveries did not finish in time")
        time.sleep(0.005)


def idle(n):
    events = []
    for _ in range(n):
        event, _ = outbox.fire("payment.completed")
        wait_delivered([event])
        events.append(event)
        time.sleep(0.02)
    return latencies(events)


def burst(n):
    start = time.perf_counter()
    events = [outbox.fire("payment.completed")[0] for _ in range(n)]
    fired = time.perf_counter() - start
    wait_delivered(events)
    return events, fired, latencies(events)


def backlog(n, procs):
    """Fire n events while no worker runs, then let one start and clear the backlog."""
    stop([procs[1]])
    events = [outbox.fire("payment.completed")[0] for _ in range(n)]
    procs[1] = worker(2)
    wait_delivered(events)
    times = sorted(Delivery.objects.filter(event__in=events).values_list("delivered_at", flat=True))
    return (n - 1) / (times[-1] - times[0]).total_seconds()


def baseline(events, clients):
    secret, url = shop.state().secret, settings.PLAYGROUND_BASE_URL + shop.RECEIVER_PATH
    client = httpx.Client(trust_env=False)

    def one(body):
        webhook_id = "evt_base_" + uuid.uuid4().hex[:16]
        now = signing.utc_now()
        started = time.perf_counter()
        response = client.post(
            url,
            content=body.encode(),
            headers=signing.headers(webhook_id, now, body, [secret]),
            timeout=15,
        )
        assert response.status_code == 200, response.text
        return (time.perf_counter() - started) * 1000

    bodies = [e.body for e in events]
    sequential = [one(b) for b in bodies[:100]]
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, bodies))
    return len(bodies) / (time.perf_counter() - start), sequential


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    redis = start_redis()
    procs = []
    try:
        call_command("migrate", verbosity=0)
        procs = start_parts()
        idle(10)  # warm up every process
        idle_ms = idle(args.idle)
        events, fired, load_ms = burst(args.events)
        rate = backlog(args.events, procs)
        base_rate, base_ms = baseline(events, args.clients)
        processed = (
            Processed.objects.filter(webhook_id__startswith="evt_")
            .exclude(webhook_id__startswith="evt_base_")
            .count()
        )
        fired_total = Event.objects.count()
        lost = fired_total - processed
        hops = (
            Message.objects.filter(hop="processed")
            .exclude(correlation_id__startswith="evt_base_")
            .count()
        )
        p95 = pct(idle_ms, 95)
        print(
            f"idle, event -> delivered:   p50 {statistics.median(idle_ms):6.1f} ms  p95 {p95:6.1f} ms "
            f"(target p95 < 100 ms: {'met' if p95 < 100 else 'MISSED'})"
        )
        print(
            f"baseline POST, sequential: p50 {statistics.median(base_ms):6.1f} ms  p95 {pct(base_ms, 95):6.1f} ms"
        )
        print(
            f"burst of {args.events} events:   p50 {statistics.median(load_ms):6.1f} ms  p95 {pct(load_ms, 95):6.1f} ms "
            f"(fired in {fired:.2f} s)"
        )
        print(
            f"backlog of {args.events}: {rate:7.1f} deliveries/s | baseline plain POSTs ({args.clients} clients): {base_rate:7.1f}/s | "
            f"ratio {rate / base_rate:.2f} (target >= 0.3: {'met' if rate / base_rate >= 0.3 else 'MISSED'})"
        )
        print(
            f"nothing lost: {fired_total} events fired, {processed} processed by Shop exactly once "
            f"({hops} 'processed' hops): {'yes' if lost == 0 and hops == processed else 'NO'}"
        )
    finally:
        stop(procs)
        redis.stop()


if __name__ == "__main__":
    main()
