"""Benchmark: the ticker pushed to many WebSocket viewers, beside a bare `websockets` broadcast.

    .venv/bin/python bench/streams.py [--clients 200] [--rate 20] [--seconds 30] [--fast-clients 20] [--fast-rate 200]

1. The playground: a real daphne and the streams producer (child processes), an embedded Redis
   and a fresh SQLite ledger (or throwaway PostgreSQL databases beside the one DATABASE_URL
   names). `--clients` viewers subscribe to the ticker; the ticker runs at `--rate` messages/s for
   `--seconds`. Each viewer acknowledges as the page does (cumulatively, every 20 messages); at
   the end it syncs (the resume path) and must hold every seq exactly once. Delivery latency =
   arrival at the viewer - the time the producer stamped.
2. The baseline, in the same run: a bare `websockets` server process broadcasting the same frames
   (same size, same rate, same count) to the same number of clients, no storage, no channel layer.
3. The ticker at `--fast-rate` messages/s with `--fast-clients` viewers: does the ledger keep up
   (recorded == sent) and is every viewer complete?

Targets: every client complete; p95 < 100 ms and <= 3x the baseline's p95; recorded == sent.
"""

import argparse
import asyncio
import json
import sys
import time
import urllib.request

import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management import call_command

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import DATA, PORT, daphne, free_port, pct, spawn, start_redis, stop, wait_until

from patterns.ledger.models import Message
from patterns.streams import ticker
from patterns.streams.publisher import latest_seq

ACK_EVERY = 20


class Viewer:
    """One client: collects seqs and latencies, acknowledges every ACK_EVERY messages."""

    def __init__(self, url, origin, subscribe=True):
        self.url, self.origin, self.subscribe = url, origin, subscribe
        self.seqs, self.latencies, self.unacked, self.duplicates = set(), [], 0, 0

    async def open(self):
        self.ws = await websockets.connect(
            self.url, origin=self.origin, max_size=2**24, open_timeout=60
        )
        if self.subscribe:
            await self.ws.recv()  # welcome
            await self.ws.send(
                json.dumps(
                    {"type": "subscribe", "streams": {"ticker": {"after": None, "replay": "all"}}}
                )
            )
        self.task = asyncio.create_task(self.read())

    async def read(self):
        try:
            async for raw in self.ws:
                now = time.time() * 1000
                frame = json.loads(raw)
                if frame.get("type") != "events":
                    continue
                for event in frame["events"]:
                    if event["seq"] in self.seqs:
                        self.duplicates += 1
                    self.seqs.add(event["seq"])
                    if not frame["replay"]:
                        self.latencies.append(now - event["t"])
                self.unacked += len(frame["events"])
                if self.subscribe and self.unacked >= ACK_EVERY:
                    self.unacked = 0
                    await self.ws.send(
                        json.dumps(
                            {"type": "ack", "stream": "ticker", "seq": frame["events"][-1]["seq"]}
                        )
                    )
        except websockets.ConnectionClosed:
            pass

    async def finish(self, last_seq, timeout=30):
        """The resume path: acknowledge, sync, and wait until every seq up to `last_seq` is here."""
        if self.subscribe:
            await self.ws.send(
                json.dumps({"type": "ack", "stream": "ticker", "seq": max(self.seqs, default=0)})
            )
            await self.ws.send(json.dumps({"type": "sync"}))
        deadline = time.monotonic() + timeout
        while max(self.seqs, default=0) < last_seq and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await self.ws.close()


def complete(viewer, first, last):
    return viewer.seqs >= set(range(first, last + 1)) and viewer.duplicates == 0


async def open_all(viewers, batch=25):
    for start in range(0, len(viewers), batch):  # a classroom arriving, not 200 SYNs at once
        await asyncio.gather(*(v.open() for v in viewers[start : start + batch]))


# The baseline ------------------------------------------------------------------------------------


async def run_baseline(args, port):
    server = spawn(
        "broadcast",
        [
            sys.executable,
            "-m",
            "bench.broadcast",
            str(port),
            str(args.clients),
            str(args.rate),
            str(args.seconds),
        ],
    )
    try:
        await asyncio.sleep(1.0)
        viewers = [
            Viewer(f"ws://127.0.0.1:{port}/", None, subscribe=False) for _ in range(args.clients)
        ]
        for _ in range(50):
            try:
                await open_all(viewers)
                break
            except OSError:
                await asyncio.sleep(0.2)
        last = args.rate * args.seconds
        await asyncio.gather(*(v.finish(last, timeout=args.seconds + 30) for v in viewers))
        return summarise("bare websockets", viewers, 1, last)
    finally:
        server.wait(timeout=30)


def summarise(name, viewers, first, last):
    latencies = [x for v in viewers for x in v.latencies]
    return {
        "name": name,
        "clients": len(viewers),
        "complete": sum(complete(v, first, last) for v in viewers),
        "messages": last - first + 1,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "delivered": len(latencies),
    }


# The playground ---------------------------------------------------------------------------------


def start_playground():
    redis_server = start_redis()
    call_command("migrate", interactive=False, verbosity=0)
    children = [spawn("producer", [sys.executable, "manage.py", "streams_producer"]), daphne()]
    wait_until(
        lambda: urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/streams/status", timeout=2),
        60,
        f"daphne or the producer did not start; see {DATA}",
        children,
    )
    return redis_server, children, PORT


async def run_playground(port, clients, rate, seconds):
    viewers = [
        Viewer(f"ws://127.0.0.1:{port}/ws/streams/", f"http://127.0.0.1:{port}")
        for _ in range(clients)
    ]
    await open_all(viewers)
    await asyncio.sleep(1)
    first = await sync_to_async(latest_seq)("ticker") + 1
    while not ticker.producer_alive():
        await asyncio.sleep(0.1)
    ticker.control("start", rate)
    await asyncio.sleep(seconds)
    ticker.control("stop")
    await asyncio.sleep(0.5)
    last = await sync_to_async(latest_seq)("ticker")
    await asyncio.gather(*(v.finish(last) for v in viewers))
    return summarise(f"playground {rate}/s", viewers, first, last)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--fast-clients", type=int, default=20)
    parser.add_argument("--fast-rate", type=int, default=200)
    parser.add_argument("--fast-seconds", type=int, default=15)
    args = parser.parse_args()
    redis_server, children, port = start_playground()
    try:
        ours = asyncio.run(run_playground(port, args.clients, args.rate, args.seconds))
        bare = asyncio.run(run_baseline(args, free_port()))
        before = Message.objects.filter(kind="ticker.price").count()
        sent_before = ticker.state()["sent"]
        fast = asyncio.run(
            run_playground(port, args.fast_clients, args.fast_rate, args.fast_seconds)
        )
        time.sleep(1)
        sent = ticker.state()["sent"] - sent_before
        recorded = Message.objects.filter(kind="ticker.price").count() - before
    finally:
        stop(children)
        redis_server.stop()
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\nTicker at {args.rate} msg/s for {args.seconds} s to {args.clients} WebSocket clients on loopback · {db}"
    )
    print(f"{'':22}{'complete':>12}{'messages':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for run in (bare, ours):
        print(
            f"{run['name']:22}{run['complete']:>6}/{run['clients']:<5}{run['messages']:>10}{run['p50']:9.1f}{run['p95']:9.1f}{run['p99']:9.1f}"
        )
    ratio = ours["p95"] / bare["p95"]
    ok = ours["complete"] == ours["clients"] and ours["p95"] < 100 and ratio <= 3
    print(
        f"ratio p95 (playground / bare): {ratio:.2f}x — targets every client complete, p95 < 100 ms, <= 3x: "
        f"{'met' if ok else 'NOT met'}"
    )
    print(
        f"\nTicker at {args.fast_rate} msg/s for {args.fast_seconds} s, {args.fast_clients} clients: "
        f"sent {sent}, recorded {recorded} ({'kept up' if sent == recorded else 'NOT kept up'}); "
        f"{fast['complete']}/{fast['clients']} clients complete; p50 {fast['p50']:.1f} ms, p95 {fast['p95']:.1f} ms"
    )


if __name__ == "__main__":
    main()
