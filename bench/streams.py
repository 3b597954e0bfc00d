"""Benchmark: the ticker pushed to many WebSocket viewers, beside a bare `websockets` broadcast.

    .venv/bin/python bench/streams.py [--clients 200] [--rate 20] [--seconds 30] [--fast-clients 20] [--fast-rate 200]

1. The playground: a real daphne and the streams producer (child processes), an embedded Redis
   and a fresh SQLite ledger (or DATABASE_URL). `--clients` viewers subscribe to the ticker; the
   ticker runs at `--rate` messages/s for `--seconds`. Each viewer acknowledges as the page does
   (cumulatively, every 20 messages); at the end it syncs (the resume path) and must hold every
   seq exactly once. Delivery latency = arrival at the viewer - the time the producer stamped.
2. The baseline, in the same run: a bare `websockets` server process broadcasting the same frames
   (same size, same rate, same count) to the same number of clients, no storage, no channel layer.
3. The ticker at `--fast-rate` messages/s with `--fast-clients` viewers: does the ledger keep up
   (recorded == sent) and is every viewer complete?

Targets: every client complete; p95 < 100 ms and <= 3x the baseline's p95; recorded == sent.
"""

import sys
from pathlib import Path

# bench/ holds queue.py, which would shadow the standard library's queue module: take bench/ off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="pg-bench-streams-"))
os.environ.pop("REDIS_URL", None)
os.environ.update(PLAYGROUND_DATA_DIR=str(DATA), DJANGO_SETTINGS_MODULE="playground.settings")

import websockets  # noqa: E402

ACK_EVERY = 20


class Viewer:
    """One client: collects seqs and latencies, acknowledges every ACK_EVERY messages."""

    def __init__(self, url, origin, subscribe=True):
        self.url, self.origin, self.subscribe = url, origin, subscribe
        self.seqs, self.latencies, self.unacked, self.duplicates = set(), [], 0, 0

    async def open(self):
        self.ws = await websockets.connect(self.url, origin=self.origin, max_size=2**24, open_timeout=60)
        if self.subscribe:
            await self.ws.recv()  # welcome
            await self.ws.send(json.dumps({"type": "subscribe", "streams": {"ticker": {"after": None, "replay": "all"}}}))
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
                    await self.ws.send(json.dumps({"type": "ack", "stream": "ticker", "seq": frame["events"][-1]["seq"]}))
        except websockets.ConnectionClosed:
            pass

    async def finish(self, last_seq, timeout=30):
        """The resume path: acknowledge, sync, and wait until every seq up to `last_seq` is here."""
        if self.subscribe:
            await self.ws.send(json.dumps({"type": "ack", "stream": "ticker", "seq": max(self.seqs, default=0)}))
            await self.ws.send(json.dumps({"type": "sync"}))
        deadline = time.monotonic() + timeout
        while max(self.seqs, default=0) < last_seq and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await self.ws.close()


def complete(viewer, first, last):
    return viewer.seqs >= set(range(first, last + 1)) and viewer.duplicates == 0


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")


async def open_all(viewers, batch=25):
    for start in range(0, len(viewers), batch):  # a classroom arriving, not 200 SYNs at once
        await asyncio.gather(*(v.open() for v in viewers[start:start + batch]))


# The baseline server ----------------------------------------------------------------------------

async def serve_baseline(port, clients, rate, seconds):
    connected = set()

    async def handler(ws):
        connected.add(ws)
        try:
            await ws.wait_closed()
        finally:
            connected.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port, max_size=2**24):
        while len(connected) < clients:
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)
        symbols = ["ACME", "GLOBEX", "INITECH", "UMBRELLA"]
        start = time.monotonic()
        for seq in range(1, rate * seconds + 1):
            await asyncio.sleep(max(0, start + (seq - 1) / rate - time.monotonic()))
            event = {"seq": seq, "t": time.time() * 1000, "data": {"type": "price", "symbol": symbols[seq % 4],
                                                                  "price": 121.37, "change": 0.21}}
            websockets.broadcast(connected, json.dumps({"type": "events", "stream": "ticker", "events": [event], "replay": False}))
        while connected:
            await asyncio.sleep(0.1)


async def run_baseline(args, port):
    server = subprocess.Popen([sys.executable, __file__, "--serve-baseline", str(port), "--clients", str(args.clients),
                               "--rate", str(args.rate), "--seconds", str(args.seconds)])
    try:
        await asyncio.sleep(1.0)
        viewers = [Viewer(f"ws://127.0.0.1:{port}/", None, subscribe=False) for _ in range(args.clients)]
        for attempt in range(50):
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
    return {"name": name, "clients": len(viewers), "complete": sum(complete(v, first, last) for v in viewers),
            "messages": last - first + 1, "p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95),
            "p99": pct(latencies, 0.99), "delivered": len(latencies)}


# The playground ---------------------------------------------------------------------------------

def start_playground():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from playground.embedded_redis import EmbeddedRedis, free_port
    from playground.processes import start_child

    redis_server = EmbeddedRedis(settings.DATA_DIR, settings.REDIS_SOCKET).start()
    call_command("migrate", interactive=False, verbosity=0)
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    log = open(DATA / "children.log", "ab")
    daphne = start_child([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
                         env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    producer = start_child([sys.executable, str(ROOT / "manage.py"), "streams_producer"], env=env, cwd=ROOT,
                           stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/streams/status", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"daphne did not start; see {DATA / 'children.log'}")
            time.sleep(0.2)
    return redis_server, [producer, daphne], port


async def run_playground(port, clients, rate, seconds):
    from asgiref.sync import sync_to_async

    from patterns.streams import ticker
    from patterns.streams.publisher import latest_seq

    viewers = [Viewer(f"ws://127.0.0.1:{port}/ws/streams/", f"http://127.0.0.1:{port}") for _ in range(clients)]
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
    parser.add_argument("--serve-baseline", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        asyncio.run(serve_baseline(args.serve_baseline, args.clients, args.rate, args.seconds))
        return
    redis_server, children, port = start_playground()
    from django.conf import settings

    from patterns.ledger.models import Message
    from patterns.streams import ticker
    from playground.embedded_redis import free_port
    from playground.processes import stop

    try:
        ours = asyncio.run(run_playground(port, args.clients, args.rate, args.seconds))
        bare = asyncio.run(run_baseline(args, free_port()))
        before = Message.objects.filter(kind="ticker.price").count()
        sent_before = ticker.state()["sent"]
        fast = asyncio.run(run_playground(port, args.fast_clients, args.fast_rate, args.fast_seconds))
        time.sleep(1)
        sent = ticker.state()["sent"] - sent_before
        recorded = Message.objects.filter(kind="ticker.price").count() - before
    finally:
        stop(children)
        redis_server.stop()
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nTicker at {args.rate} msg/s for {args.seconds} s to {args.clients} WebSocket clients on loopback · {db}")
    print(f"{'':22}{'complete':>12}{'messages':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for run in (bare, ours):
        print(f"{run['name']:22}{run['complete']:>6}/{run['clients']:<5}{run['messages']:>10}{run['p50']:9.1f}{run['p95']:9.1f}{run['p99']:9.1f}")
    ratio = ours["p95"] / bare["p95"]
    ok = ours["complete"] == ours["clients"] and ours["p95"] < 100 and ratio <= 3
    print(f"ratio p95 (playground / bare): {ratio:.2f}x — targets every client complete, p95 < 100 ms, <= 3x: "
          f"{'met' if ok else 'NOT met'}")
    print(f"\nTicker at {args.fast_rate} msg/s for {args.fast_seconds} s, {args.fast_clients} clients: "
          f"sent {sent}, recorded {recorded} ({'kept up' if sent == recorded else 'NOT kept up'}); "
          f"{fast['complete']}/{fast['clients']} clients complete; p50 {fast['p50']:.1f} ms, p95 {fast['p95']:.1f} ms")


if __name__ == "__main__":
    main()
