"""Benchmark: a lecture hall — one room, 200 student pages, the instructor firing — beside a
baseline of the same pages on the plain feed (no room), in the same run.

    .venv/bin/python bench/classroom.py [--clients 200] [--rate 10] [--seconds 10] [--full]

`--full` fires for 30 s, the length the target is set for. Each phase:
1. `--clients` WebSocket clients connect to /ws/feed/ (with ?room=CODE, or without for the
   baseline) from this process on loopback, resume like a page, and acknowledge like a page.
2. The instructor fires `--rate` pings a second for `--seconds` through the real API
   (POST /api/ping, in the room with its control key); each ping is four ledger hops (request,
   enqueued, picked up by a real Celery worker, reply).
3. Every client must receive every hop of every ping (the feed resumes from the ledger if a
   doorbell dropped). Delivery latency = when the client read the message − the ledger's
   created_at. Target: p95 < 150 ms. Server memory: daphne's resident set, sampled every second.

All clients live in this one process: on a small machine their own CPU, not the server's, can
set the latency (both are printed), so compare the room with the baseline beside it.

Runs on its own data dir, SQLite (or throwaway PostgreSQL databases when DATABASE_URL names a
server) and embedded Redis, with a real daphne and Celery worker.
"""

import argparse
import asyncio
import json
import sys
import time
from datetime import datetime

import httpx
import psutil
import websockets
from django.core.management import call_command

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import BASE, PORT, daphne, pct, serving, start_redis, stop, worker

from bench.feedacks import Acker

HOPS_PER_PING = 4


def start_parts():
    return serving([daphne(), worker(1)])


class Student:
    """One page's feed connection: resume, acknowledge (as a page does), note when each message arrived."""

    def __init__(self, room):
        self.url = f"ws://127.0.0.1:{PORT}/ws/feed/" + (f"?room={room}" if room else "")
        self.arrivals = {}  # ledger id -> (arrived, created_at)
        self.ready = asyncio.Event()
        self.acks = Acker()

    async def run(self, stop_event):
        async with websockets.connect(self.url, origin=BASE, max_size=2**24, open_timeout=30) as ws:
            self.ws = ws
            await ws.send(json.dumps({"type": "resume", "after": None, "backlog": 0}))
            async for raw in ws:  # ends when the phase closes the connection
                now = time.time()
                frame = json.loads(raw)
                if frame["type"] != "messages":
                    continue
                self.ready.set()
                for m in frame["messages"]:
                    self.arrivals.setdefault(m["id"], (now, m["created_at"], m["correlation_id"]))
                if frame["messages"]:
                    self.acks.frame(ws, frame["cursor"], len(frame["messages"]))


async def fire(client, rate, seconds, room, key):
    """The instructor: `rate` pings a second, on a fixed schedule (a slow answer does not shift it)."""
    sent, refused = [], 0
    start = time.monotonic()
    params, headers = ({"room": room}, {"X-Room-Key": key}) if room else ({}, {})

    async def one():
        nonlocal refused
        response = await client.post(
            f"{BASE}/api/ping", params=params, headers=headers, json={"note": "bench"}
        )
        if response.status_code == 201:
            sent.append(response.json()["correlation_id"])
        else:
            refused += 1

    tasks = []
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0, start + n / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return sent, refused


async def phase(name, clients, rate, seconds, room="", key=""):
    server = psutil.Process(DAPHNE_PID)
    rss_before = server.memory_info().rss
    peak = rss_before
    stop_event = asyncio.Event()
    students = [Student(room) for _ in range(clients)]
    runners = []
    for start in range(0, clients, 25):  # a class arriving, not one thundering herd
        runners += [asyncio.create_task(s.run(stop_event)) for s in students[start : start + 25]]
        await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in students)), 60)
    rss_connected = server.memory_info().rss
    server.cpu_percent()
    me = psutil.Process()
    me.cpu_percent()
    async with httpx.AsyncClient(timeout=30) as client:
        firing = asyncio.create_task(fire(client, rate, seconds, room, key))
        while not firing.done():
            peak = max(peak, server.memory_info().rss)
            await asyncio.sleep(1)
        sent, refused = firing.result()
    cpu, client_cpu = server.cpu_percent(), me.cpu_percent()
    expected = len(sent) * HOPS_PER_PING
    cids = set(sent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        counts = [sum(1 for (_, _, c) in s.arrivals.values() if c in cids) for s in students]
        if min(counts) >= expected:
            break
        peak = max(peak, server.memory_info().rss)
        await asyncio.sleep(0.5)
    stop_event.set()
    await asyncio.gather(*(s.ws.close() for s in students), return_exceptions=True)
    await asyncio.gather(*runners, return_exceptions=True)
    latencies, complete = [], 0
    for s in students:
        mine = [(arrived, created) for (arrived, created, c) in s.arrivals.values() if c in cids]
        complete += len(mine) == expected
        latencies += [
            (arrived - datetime.fromisoformat(created).timestamp()) * 1000
            for arrived, created in mine
        ]
    return {
        "name": name,
        "clients": clients,
        "pings": len(sent),
        "refused": refused,
        "expected": expected,
        "complete": complete,
        "deliveries": len(latencies),
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "max": max(latencies or [0]),
        "rss_before": rss_before,
        "rss_connected": rss_connected,
        "rss_peak": peak,
        "cpu": cpu,
        "client_cpu": client_cpu,
    }


def show(r):
    mb = 1024 * 1024
    print(
        f"{r['name']:<9} {r['clients']} clients, {r['pings']} pings x {HOPS_PER_PING} hops: "
        f"{r['complete']}/{r['clients']} clients got all {r['expected']} messages "
        f"({r['deliveries']:,} deliveries) | latency p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, max {r['max']:.0f} ms | "
        f"daphne RSS {r['rss_before'] / mb:.0f} MB idle, {r['rss_connected'] / mb:.0f} MB connected, "
        f"{r['rss_peak'] / mb:.0f} MB peak; daphne CPU while firing {r['cpu']:.0f}% of one core, "
        f"this bench's clients {r['client_cpu']:.0f}%"
    )


async def run(args):
    seconds = 30 if args.full else args.seconds
    baseline = await phase("baseline", args.clients, args.rate, seconds)
    show(baseline)
    opened = httpx.post(f"{BASE}/api/rooms", json={"title": "bench"}, timeout=10).json()
    room = await phase(
        "room", args.clients, args.rate, seconds, opened["code"], opened["control_key"]
    )
    show(room)
    ratio = room["p95"] / baseline["p95"] if baseline["p95"] else float("nan")
    ok = room["complete"] == args.clients and room["refused"] == 0 and room["p95"] < 150
    print(
        f"room p95 / baseline p95 = {ratio:.2f} | every client got every event: "
        f"{'yes' if room['complete'] == args.clients else 'NO'} | p95 < 150 ms: {'met' if room['p95'] < 150 else 'MISSED'}"
        f" | {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main():
    global DAPHNE_PID
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--full", action="store_true", help="fire for 30 s, the length the target is set for"
    )
    args = parser.parse_args()
    redis = start_redis()
    procs = []
    try:
        call_command("migrate", verbosity=0)
        procs = start_parts()
        DAPHNE_PID = procs[0].pid
        ok = asyncio.run(run(args))
    finally:
        stop(procs)
        redis.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
