"""Benchmark: "one order, six ways" — how fast each lane's consumer learns, beside the
playground's own floor measured in the same run.

    .venv/bin/python bench/tours.py [--runs 5] [--reads 200]

Starts its own playground (`manage.py playground`: daphne, a worker, beat, embedded Redis, SQLite
on a throwaway data dir, or throwaway PostgreSQL databases when DATABASE_URL names a server), then:
1. --runs comparison runs of order 42, no failure injected: per lane, the median freshness (ship →
   consumer learned), from the run's own measurements. Baseline: the ping's round trip
   (web → queue → worker, recorded in the ledger) — the least any hop through the playground costs.
   Ratio = lane / baseline: push styles should sit near 1–10×, polling lanes near their interval.
2. Reading a run back (GET /api/compare/runs/{id}: every lane measured from the ledger) — baseline:
   GET /api/messages?limit=50 on the same server. Target: at most 3× the plain ledger read.
"""

import argparse
import statistics
import time
from datetime import datetime

import httpx

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import BASE, pct, start_playground, stop, wait_until


def healthy():
    return httpx.get(f"{BASE}/api/health", timeout=2).json()["status"] == "ok"


def ping_round_trip(http):
    hops = http.post("/api/ping", json={}).json()
    cid = hops["correlation_id"]
    for _ in range(100):
        rows = http.get("/api/messages", params={"correlation_id": cid}).json()["messages"]
        if (
            any(r["source"] == "worker" or r["target"] == "browser" for r in rows[1:])
            and len(rows) >= 3
        ):
            stamps = [datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")) for r in rows]
            return (max(stamps) - min(stamps)).total_seconds() * 1000
        time.sleep(0.05)
    return None


def one_run(http):
    for _ in range(120):
        answer = http.post("/api/compare/runs", json={"order_id": 42})
        if answer.status_code == 202:
            break
        time.sleep(0.5)  # the previous run is still finishing
    run_id = answer.json()["id"]
    while True:
        run = http.get(f"/api/compare/runs/{run_id}").json()
        if not run["running"]:
            return run
        time.sleep(0.3)


def timed(http, n, path, params=None):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        http.get(path, params=params).raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), pct(times, 95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reads", type=int, default=200)
    args = parser.parse_args()
    process = start_playground()
    try:
        wait_until(
            healthy,
            60,
            "the playground never said it was healthy; see its log in the data dir",
            [process],
        )
        with httpx.Client(base_url=BASE, timeout=30, trust_env=False) as http:
            pings = [p for p in (ping_round_trip(http) for _ in range(10)) if p is not None]
            floor = statistics.median(pings)
            fresh, last = {}, None
            for _ in range(args.runs):
                last = one_run(http)
                for lane in last["lanes"]:
                    if lane["built"] and lane["freshness_ms"] is not None:
                        fresh.setdefault(lane["title"], []).append(lane["freshness_ms"])
            print(
                f"1. freshness over {args.runs} runs (median ms); baseline ping round trip {floor:.1f} ms"
            )
            for title, values in fresh.items():
                median = statistics.median(values)
                print(
                    f"   {title:<22} {median:8.1f} ms   ×{median / floor:6.1f} the baseline   (n={len(values)})"
                )
            run_p50, run_p95 = timed(http, args.reads, f"/api/compare/runs/{last['id']}")
            log_p50, log_p95 = timed(http, args.reads, "/api/messages", {"limit": 50})
            print(
                f"2. reading a run back: p50 {run_p50:.1f} ms, p95 {run_p95:.1f} ms; "
                f"baseline GET /api/messages?limit=50: p50 {log_p50:.1f} ms, p95 {log_p95:.1f} ms; "
                f"ratio p50 ×{run_p50 / log_p50:.2f} (target ≤ 3)"
            )
    finally:
        stop([process], timeout=30)


if __name__ == "__main__":
    main()
