"""Load test: a lecture hall of students on one playground, bounded in time, on loopback only.

    .venv/bin/python bench/load.py [--seconds 60 | --minutes 5] [--students 200] [--web 2]

Starts a whole playground the way an instructor does (`manage.py playground --web N`: daphne
processes on consecutive ports, a Celery worker, beat, the embedded Redis, SQLite in a throwaway
data dir, or throwaway PostgreSQL databases when DATABASE_URL names a server) and drives it with one asyncio client process:

- every student holds the live feed (a WebSocket, like an open page) on one of the web processes
  (round robin, as a proxy would spread them), and every few seconds browses a page, reads the API,
  fires a webhook event or a small queue spike;
- the instructor fires a webhook event and a job every two seconds.

Then it waits for the work to drain and reports: error rate and 5xx count, p50/p95 page load
(the HTML document) and API latency, what was sent vs recorded in the ledger vs done, whether
every viewer received every ledger message, and the peak memory of each process.
Baseline, same run, same clients: a static file (`/static/css/playground.css`) from the same
daphne processes, before the load starts. Target: no loss, no 5xx, p95 page load < 300 ms.
Stops by itself: the load phase lasts --seconds, draining at most --drain seconds more.
"""

import argparse
import asyncio
import json
import random
import socket
import sys
import threading
import time
from collections import Counter, defaultdict

import httpx
import psutil

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import DATA, free_port, pct, start_playground, stop
from websockets.asyncio.client import connect

from bench.feedacks import Acker
from patterns.ledger.models import Message
from patterns.webhooks.models import Processed

PAGES = ["/", "/messages/", "/queue/", "/webhooks/", "/request-response/", "/database/", "/health"]
READS = [
    "/api/messages?limit=50",
    "/api/queue/stats",
    "/api/health",
    "/api/webhooks/deliveries?limit=20",
]
STATIC = "/static/css/playground.css"


class Stats:
    def __init__(self):
        self.latency = defaultdict(list)  # "page" / "api" / "fire" / "static" -> ms
        self.status = Counter()
        self.errors = []
        self.jobs, self.events = [], []

    def note(self, what, began, response=None, error=None):
        if error is not None:
            self.status["exception"] += 1
            self.errors.append(f"{what}: {error!r}"[:160])
            return
        self.latency[what].append((time.perf_counter() - began) * 1000)
        self.status[response.status_code] += 1
        if response.status_code >= 400:
            self.errors.append(
                f"{what} {response.request.url.path}: {response.status_code} {response.text[:100]}"
            )


class Playground:
    """`manage.py playground --web N` as a child process, and the memory of each of its processes."""

    def __init__(self, web, workers):
        self.port = free_port()
        while any(not self._free(p) for p in range(self.port, self.port + web)):
            self.port = free_port()
        self.urls = [f"http://127.0.0.1:{p}" for p in range(self.port, self.port + web)]
        self.process = start_playground(
            "--web", str(web), "--workers", str(workers), port=self.port
        )
        self.peak, self.sampling = {}, True
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def _free(port):
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) != 0

    def _label(self, proc):
        cmd = " ".join(proc.cmdline())
        if "daphne" in cmd:
            return f"web :{cmd.split(' -p ')[1].split()[0]}"
        if "redis-server" in cmd:
            return "redis"
        if " beat" in cmd:
            return "beat"
        if " worker" in cmd:
            return "worker (main)" if proc.ppid() == self.process.pid else f"worker pool {proc.pid}"
        return None

    def _sample(self):
        root = psutil.Process(self.process.pid)
        while self.sampling:
            try:
                for proc in root.children(recursive=True):
                    try:
                        label = self._label(proc)
                        if label:
                            self.peak[label] = max(self.peak.get(label, 0), proc.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            time.sleep(0.5)

    def close(self):
        self.sampling = False
        stop([self.process], timeout=30)


class Viewer:
    """One open page: the feed WebSocket, resumed from the ledger's end, every message id kept."""

    def __init__(self, url):
        self.url, self.ids, self.start, self.cursor, self.reconnects = url, [], None, None, 0

    async def run(self, stop_event):
        ws_url = self.url.replace("http://", "ws://") + "/ws/feed/"
        while not stop_event.is_set():
            try:
                async with connect(ws_url, origin=self.url, max_size=2**24, open_timeout=20) as ws:
                    acks = Acker()
                    await ws.send(json.dumps({"type": "resume", "after": self.cursor}))
                    while not stop_event.is_set():
                        try:
                            frame = json.loads(await asyncio.wait_for(ws.recv(), 1))
                        except TimeoutError:
                            continue
                        if frame.get("type") != "messages":
                            continue
                        if self.start is None:
                            self.start = frame["cursor"]
                        self.ids += [m["id"] for m in frame["messages"]]
                        self.cursor = frame["cursor"]
                        if frame["messages"]:
                            acks.frame(ws, self.cursor, len(frame["messages"]))
                return
            except Exception:  # dropped: reconnect and resume from the cursor, as feed.js does
                self.reconnects += 1
                await asyncio.sleep(1 + random.random())


async def request(stats, client, what, method, url, **kwargs):
    if method == "POST" and client.cookies.get("csrftoken"):  # as the page's JavaScript does
        kwargs["headers"] = {"X-CSRFToken": client.cookies.get("csrftoken")}
    began = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except Exception as exc:  # noqa: BLE001 (every failure counts as an error)
        stats.note(what, began, error=exc)
        return None
    stats.note(what, began, response)
    return response


async def student(n, base, client, stats, stop_at, interval):
    await asyncio.sleep(random.random() * interval)
    while time.monotonic() < stop_at:
        roll = random.random()
        if roll < 0.70:
            await request(stats, client, "page", "GET", base + random.choice(PAGES))
        elif roll < 0.85:
            await request(stats, client, "api", "GET", base + random.choice(READS))
        elif roll < 0.95:
            await fire_event(stats, client, base)
        else:
            await fire_jobs(stats, client, base, 5)
        await asyncio.sleep(interval * (0.5 + random.random()))


async def fire_event(stats, client, base):
    response = await request(
        stats,
        client,
        "fire",
        "POST",
        base + "/api/webhooks/events",
        json={"type": "payment.completed"},
    )
    if response is not None and response.status_code == 201:
        stats.events.append(response.json()["event_id"])


async def fire_jobs(stats, client, base, count):
    response = await request(
        stats,
        client,
        "fire",
        "POST",
        base + "/api/queue/jobs",
        json={"kind": "analytics", "count": count, "duration_ms": 5},
    )
    if response is not None and response.status_code == 201:
        stats.jobs += response.json()["ids"]


async def instructor(base, client, stats, stop_at):
    while time.monotonic() < stop_at:
        await fire_event(stats, client, base)
        await fire_jobs(stats, client, base, 1)
        await asyncio.sleep(2)


async def baseline(urls, students, seconds, interval):
    """The same number of clients, at the same pace, fetching a static file from the same servers:
    what the machine and this client can do without the playground's work."""
    stats = Stats()
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=students, max_keepalive_connections=students)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def one(n):
            await asyncio.sleep(random.random())
            while time.monotonic() < stop_at:
                await request(stats, client, "static", "GET", urls[n % len(urls)] + STATIC)
                await asyncio.sleep(interval * (0.5 + random.random()))

        await asyncio.gather(*(one(n) for n in range(students)))
    return stats


async def load(urls, students, seconds, interval):
    stats, stop_event = Stats(), asyncio.Event()
    viewers = [Viewer(urls[n % len(urls)]) for n in range(students)]
    watching = [asyncio.create_task(v.run(stop_event)) for v in viewers]
    deadline = time.monotonic() + 60
    while any(v.start is None for v in viewers) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    print(f"  {sum(v.start is not None for v in viewers)} of {students} pages hold the live feed")
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=students, max_keepalive_connections=students)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        await asyncio.gather(
            instructor(urls[0], client, stats, stop_at),
            *(
                student(n, urls[n % len(urls)], client, stats, stop_at, interval)
                for n in range(students)
            ),
        )
    return stats, viewers, stop_event, watching


def drained(stats):
    done = Message.objects.filter(style="queue", hop="done", correlation_id__in=stats.jobs).count()
    processed = Processed.objects.filter(webhook_id__in=stats.events).count()
    return done, processed


def report_counts(stats, viewers, drain_s):
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline and drained(stats) != (len(stats.jobs), len(stats.events)):
        time.sleep(1)
    done, processed = drained(stats)
    queued = Message.objects.filter(
        style="queue", hop="queued", correlation_id__in=stats.jobs
    ).count()
    recorded_events = Message.objects.filter(
        style="webhooks", hop="event", correlation_id__in=stats.events
    ).count()
    print(f"  jobs:   sent {len(stats.jobs)}, recorded {queued}, done {done}")
    print(
        f"  events: sent {len(stats.events)}, recorded {recorded_events}, processed by Shop {processed}"
    )
    return done == queued == len(stats.jobs) and processed == recorded_events == len(stats.events)


def report_viewers(viewers, drain_s):
    top = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline and any((v.cursor or 0) < top for v in viewers):
        time.sleep(0.5)
    complete, gaps, behind = 0, 0, 0
    for viewer in viewers:
        if viewer.start is None:
            behind += 1
            continue
        seen_up_to = min(viewer.cursor or 0, top)  # a gap below the cursor is a lost message
        expected = set(
            Message.objects.filter(id__gt=viewer.start, id__lte=seen_up_to).values_list(
                "id", flat=True
            )
        )
        gaps += len(expected - set(viewer.ids))
        behind += seen_up_to < top
        complete += seen_up_to == top and expected <= set(viewer.ids)
    print(
        f"  viewers: {complete} of {len(viewers)} received every one of the {top} ledger messages after they "
        f"opened; gaps {gaps}; still catching up after {drain_s:.0f} s: {behind}; "
        f"reconnects {sum(v.reconnects for v in viewers)}"
    )
    return gaps == 0 and complete == len(viewers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--minutes", type=float, help="the full run: --minutes 5")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--interval", type=float, default=8.0, help="mean seconds between a student's actions"
    )
    parser.add_argument(
        "--baseline", type=float, default=20, help="seconds of the static-file baseline"
    )
    parser.add_argument(
        "--drain", type=float, default=90, help="most seconds to wait for the work to drain"
    )
    args = parser.parse_args()
    seconds = args.minutes * 60 if args.minutes else args.seconds
    print(
        f"Load test: {args.students} students for {seconds:.0f} s on {args.web} web processes, "
        f"{args.workers} worker processes (data: {DATA})"
    )
    playground = Playground(args.web, args.workers)
    try:
        print("Baseline: the same clients fetching a static file")
        base = asyncio.run(baseline(playground.urls, args.students, args.baseline, args.interval))
        print("Load: browsing, feeds, webhooks, queue spikes, the instructor firing")
        stats, viewers = None, None

        async def run():
            nonlocal stats, viewers
            stats, viewers, stop_event, watching = await load(
                playground.urls, args.students, seconds, args.interval
            )
            await asyncio.to_thread(
                lambda: (
                    report_ok.append(report_counts(stats, viewers, args.drain)),
                    report_ok.append(report_viewers(viewers, 60)),
                )
            )
            stop_event.set()
            await asyncio.gather(*watching, return_exceptions=True)

        report_ok = []
        asyncio.run(run())
    finally:
        playground.close()
    total = sum(stats.status.values())
    failed = sum(n for code, n in stats.status.items() if code == "exception" or code >= 400)
    five = sum(n for code, n in stats.status.items() if code != "exception" and code >= 500)
    print(f"\nRequests: {total}, errors {failed} ({failed / max(total, 1):.2%}), 5xx {five}")
    for line in sorted(set(stats.errors))[:8]:
        print(f"  {line}")
    rows = [
        ("baseline: static file", base.latency["static"]),
        ("page load (HTML)", stats.latency["page"]),
        ("API read", stats.latency["api"]),
        ("API fire (event / jobs)", stats.latency["fire"]),
    ]
    for name, values in rows:
        if values:
            print(
                f"  {name:26} n={len(values):6}  p50 {pct(values, 50):7.1f} ms  p95 {pct(values, 95):7.1f} ms"
            )
    if base.latency["static"] and stats.latency["page"]:
        ratio = pct(stats.latency["page"], 95) / pct(base.latency["static"], 95)
        print(f"  page p95 / baseline p95 = {ratio:.1f}x")
    print("Peak memory (RSS):")
    for label, rss in sorted(playground.peak.items()):
        print(f"  {label:24} {rss / 2**20:7.1f} MiB")
    p95 = pct(stats.latency["page"], 95) if stats.latency["page"] else float("inf")
    verdict = {"no loss": all(report_ok), "no 5xx": five == 0, "p95 page < 300 ms": p95 < 300}
    print("Targets: " + ", ".join(f"{name} {'✓' if ok else '✗'}" for name, ok in verdict.items()))
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
