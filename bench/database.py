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

Runs on its own data dir (SQLite only: it measures Reporting's SQLite connection) and embedded Redis;
prints figures and ratios.
"""

import argparse
import sqlite3
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.core.management import call_command
from django.db import connections

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import BASE, daphne, pct, postgres, start_redis, stop, wait_until

from patterns.database import reporting

RUNAWAY = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"


def timed(n, fn):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def baseline_dashboard(db):
    params = {
        "today": connections["shop"].ops.adapt_datetimefield_value(reporting.start_of_today())
    }
    for _, sql in reporting.PANELS.values():
        db.execute(sql, params if ":today" in sql else {}).fetchall()


def guarded_vs_plain(n):
    plain = sqlite3.connect(connections["shop"].settings_dict["NAME"], isolation_level=None)
    base = timed(n, lambda: baseline_dashboard(plain))
    guarded = timed(n, reporting.dashboard)
    assert all(p["ok"] for p in reporting.dashboard().values())
    b, g = statistics.median(base), statistics.median(guarded)
    print(
        f"1. dashboard queries, median per dashboard: read-only connection {g:.2f} ms, plain sqlite3 {b:.2f} ms "
        f"-> {g / b:.2f}x (target <= 3x) {'OK' if g / b <= 3 else 'MISSED'}"
    )


def get(url):
    return lambda: httpx.get(url, timeout=30).raise_for_status()


def through_daphne(base, n, clients):
    direct, api = (
        f"{base}/api/database/dashboard?via=direct",
        f"{base}/api/database/dashboard?via=api",
    )
    d, a = timed(n, get(direct)), timed(n, get(api))
    print(
        f"2. through daphne, one at a time: direct p50 {statistics.median(d):.1f} ms p95 {pct(d, 95):.1f} ms; "
        f"API p50 {statistics.median(a):.1f} ms p95 {pct(a, 95):.1f} ms -> the API way takes "
        f"{statistics.median(a) / statistics.median(d):.1f}x as long"
    )
    for name, url in (("direct", direct), ("API", api)):
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda _, url=url: get(url)(), range(clients * 5)))
        print(
            f"   {clients} clients at once, {name}: {clients * 5 / (time.perf_counter() - start):.1f} dashboards/s"
        )
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
    print(
        f"3. direct dashboard p95 with 8 runaway console queries in flight: {pct(busy, 95):.1f} ms, idle "
        f"{pct(idle, 95):.1f} ms -> {ratio:.2f}x (target <= 3x) {'OK' if ratio <= 3 else 'MISSED'}"
    )
    for t in threads:
        t.join(timeout=10)


def beside_two_runaways(base, n):
    def select_one():
        return httpx.post(
            f"{base}/api/database/query", json={"sql": "SELECT 1"}, timeout=60
        ).raise_for_status()

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
    print(
        f"4. console SELECT 1 beside two runaway queries: p50 {statistics.median(busy):.1f} ms, p95 "
        f"{pct(busy, 95):.1f} ms, max {max(busy):.1f} ms; idle p95 {pct(idle, 95):.1f} ms "
        f"(target: max < 2500 ms) {'OK' if max(busy) < 2500 else 'MISSED'}"
    )
    for t in threads:
        t.join(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dashboards", type=int, default=300)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    if postgres():
        raise SystemExit(
            "bench/database.py measures Reporting's SQLite connection: run it without DATABASE_URL"
        )
    redis_server = start_redis()
    call_command("migrate", verbosity=0)
    call_command("migrate", database="shop", verbosity=0)  # seeds Shop
    server = daphne(
        env={
            "DEBUG": "false",
            "SECRET_KEY": "bench",
            "PLAYGROUND_HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    base = BASE
    try:
        wait_until(
            lambda: httpx.get(f"{base}/api/stats", timeout=1).status_code == 200,
            20,
            "daphne did not start",
            [server],
        )
        guarded_vs_plain(args.dashboards)
        idle = through_daphne(base, args.requests, args.clients)
        under_runaways(base, args.requests, idle)
        beside_two_runaways(base, args.requests)
    finally:
        stop([server])
        redis_server.stop()


if __name__ == "__main__":
    main()
