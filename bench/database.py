"""Benchmark: the database style's costs, each beside a baseline measured in the same run.

    .venv/bin/python bench/database.py [--dashboards 300] [--requests 100] [--clients 20]

1. Reporting's three dashboard queries through its read-only connection (a fresh connection,
   mode=ro, the authorizer, the time-limit timer) — baseline: the same SQL on a plain, reused
   sqlite3 connection to the same file. Target: the safety costs at most 3x.
2. The dashboard through a real daphne, direct SQL vs Shop's API (what the page compares):
   p50/p95 one at a time, and requests/s with --clients at once (every request is recorded).
3. The direct dashboard while the console's lane is full of runaway queries — baseline: idle.
   Target: p95 at most 3x idle (runaway queries wait in the console's own lane).
4. A console SELECT 1 while two runaway queries run without pause — baseline: idle. Target: every
   one answered within 2.5 s (the lane has seats beside the runaways; none waits out their limit).

Runs on its own data dir (SQLite) and embedded Redis; prints figures and ratios.
"""

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="pg-bench-db-"))
for name in ("REDIS_URL", "DATABASE_URL", "SHOP_DATABASE_URL"):
    os.environ.pop(name, None)
os.environ.update(PLAYGROUND_DATA_DIR=str(DATA), DJANGO_SETTINGS_MODULE="playground.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from patterns.database import reporting  # noqa: E402
from playground.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from playground.processes import start_child, stop  # noqa: E402

RUNAWAY = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"


def pct(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def timed(n, fn):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def baseline_dashboard(db):
    params = {"today": connections["shop"].ops.adapt_datetimefield_value(reporting.start_of_today())}
    for _, sql in reporting.PANELS.values():
        db.execute(sql, params if ":today" in sql else {}).fetchall()


def guarded_vs_plain(n):
    plain = sqlite3.connect(connections["shop"].settings_dict["NAME"], isolation_level=None)
    base = timed(n, lambda: baseline_dashboard(plain))
    guarded = timed(n, reporting.dashboard)
    assert all(p["ok"] for p in reporting.dashboard().values())
    b, g = statistics.median(base), statistics.median(guarded)
    print(f"1. dashboard queries, median per dashboard: read-only connection {g:.2f} ms, plain sqlite3 {b:.2f} ms "
          f"-> {g / b:.2f}x (target <= 3x) {'OK' if g / b <= 3 else 'MISSED'}")


def get(url):
    return lambda: httpx.get(url, timeout=30).raise_for_status()


def through_daphne(base, n, clients):
    direct, api = f"{base}/api/database/dashboard?via=direct", f"{base}/api/database/dashboard?via=api"
    d, a = timed(n, get(direct)), timed(n, get(api))
    print(f"2. through daphne, one at a time: direct p50 {statistics.median(d):.1f} ms p95 {pct(d, 95):.1f} ms; "
          f"API p50 {statistics.median(a):.1f} ms p95 {pct(a, 95):.1f} ms -> the API way takes "
          f"{statistics.median(a) / statistics.median(d):.1f}x as long")
    for name, url in (("direct", direct), ("API", api)):
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda _: get(url)(), range(clients * 5)))
        print(f"   {clients} clients at once, {name}: {clients * 5 / (time.perf_counter() - start):.1f} dashboards/s")
    return d


def under_runaways(base, n, idle):
    stop_flag = threading.Event()

    def flood():
        while not stop_flag.is_set():
            httpx.post(f"{base}/api/database/query", json={"sql": RUNAWAY}, timeout=60)

    threads = [threading.Thread(target=flood, daemon=True) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    busy = timed(n, get(f"{base}/api/database/dashboard?via=direct"))
    stop_flag.set()
    ratio = pct(busy, 95) / pct(idle, 95)
    print(f"3. direct dashboard p95 with 8 runaway console queries in flight: {pct(busy, 95):.1f} ms, idle "
          f"{pct(idle, 95):.1f} ms -> {ratio:.2f}x (target <= 3x) {'OK' if ratio <= 3 else 'MISSED'}")
    for t in threads:
        t.join(timeout=10)


def beside_two_runaways(base, n):
    select_one = lambda: httpx.post(f"{base}/api/database/query", json={"sql": "SELECT 1"}, timeout=60).raise_for_status()  # noqa: E731
    idle, stop_flag = timed(n, select_one), threading.Event()

    def runaway():
        while not stop_flag.is_set():
            httpx.post(f"{base}/api/database/query", json={"sql": RUNAWAY}, timeout=60)

    threads = [threading.Thread(target=runaway, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    busy = timed(n, select_one)
    stop_flag.set()
    print(f"4. console SELECT 1 beside two runaway queries: p50 {statistics.median(busy):.1f} ms, p95 "
          f"{pct(busy, 95):.1f} ms, max {max(busy):.1f} ms; idle p95 {pct(idle, 95):.1f} ms "
          f"(target: max < 2500 ms) {'OK' if max(busy) < 2500 else 'MISSED'}")
    for t in threads:
        t.join(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dashboards", type=int, default=300)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redis_server = EmbeddedRedis(settings.DATA_DIR, settings.REDIS_SOCKET).start()
    call_command("migrate", verbosity=0)
    call_command("migrate", database="shop", verbosity=0)  # seeds Shop
    port = free_port()
    env = dict(os.environ, PLAYGROUND_BASE_URL=f"http://127.0.0.1:{port}", DEBUG="false", SECRET_KEY="bench",
               PLAYGROUND_HTTPS="false", ALLOWED_HOSTS="127.0.0.1")
    daphne = start_child([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
                         env=env, cwd=ROOT, stdout=open(DATA / "daphne.log", "ab"), stderr=open(DATA / "daphne.log", "ab"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/stats", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        guarded_vs_plain(args.dashboards)
        idle = through_daphne(base, args.requests, args.clients)
        under_runaways(base, args.requests, idle)
        beside_two_runaways(base, args.requests)
    finally:
        stop([daphne])
        redis_server.stop()


if __name__ == "__main__":
    main()
