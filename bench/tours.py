"""Benchmark: "one order, six ways" — how fast each lane's consumer learns, beside the
playground's own floor measured in the same run.

    .venv/bin/python bench/tours.py [--runs 5] [--reads 200]

Starts its own playground (`manage.py playground`: daphne, a worker, beat, embedded Redis, SQLite
on a throwaway data dir), then:
1. --runs comparison runs of order 42, no failure injected: per lane, the median freshness (ship →
   consumer learned), from the run's own measurements. Baseline: the ping's round trip
   (web → queue → worker, recorded in the ledger) — the least any hop through the playground costs.
   Ratio = lane / baseline: push styles should sit near 1–10×, polling lanes near their interval.
2. Reading a run back (GET /api/compare/runs/{id}: every lane measured from the ledger) — baseline:
   GET /api/messages?limit=50 on the same server. Target: at most 3× the plain ledger read.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_playground():
    data, port = tempfile.mkdtemp(prefix="pg-bench-tours-"), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SHOP_DATABASE_URL")}
    env["PLAYGROUND_DATA_DIR"] = data
    process = subprocess.Popen([sys.executable, "manage.py", "playground", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=open(Path(data) / "bench.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{base}/api/health", timeout=2).json()["status"] == "ok":
                return process, base
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.25)
    process.send_signal(signal.SIGTERM)
    raise SystemExit(f"the playground did not come up; see {data}/bench.log")


def ping_round_trip(http):
    hops = http.post("/api/ping", json={}).json()
    cid = hops["correlation_id"]
    for _ in range(100):
        rows = http.get("/api/messages", params={"correlation_id": cid}).json()["messages"]
        if any(r["source"] == "worker" or r["target"] == "browser" for r in rows[1:]) and len(rows) >= 3:
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
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reads", type=int, default=200)
    args = parser.parse_args()
    process, base = start_playground()
    try:
        with httpx.Client(base_url=base, timeout=30, trust_env=False) as http:
            pings = [p for p in (ping_round_trip(http) for _ in range(10)) if p is not None]
            floor = statistics.median(pings)
            fresh, last = {}, None
            for _ in range(args.runs):
                last = one_run(http)
                for lane in last["lanes"]:
                    if lane["built"] and lane["freshness_ms"] is not None:
                        fresh.setdefault(lane["title"], []).append(lane["freshness_ms"])
            print(f"1. freshness over {args.runs} runs (median ms); baseline ping round trip {floor:.1f} ms")
            for title, values in fresh.items():
                median = statistics.median(values)
                print(f"   {title:<22} {median:8.1f} ms   ×{median / floor:6.1f} the baseline   (n={len(values)})")
            run_p50, run_p95 = timed(http, args.reads, f"/api/compare/runs/{last['id']}")
            log_p50, log_p95 = timed(http, args.reads, "/api/messages", {"limit": 50})
            print(f"2. reading a run back: p50 {run_p50:.1f} ms, p95 {run_p95:.1f} ms; "
                  f"baseline GET /api/messages?limit=50: p50 {log_p50:.1f} ms, p95 {log_p95:.1f} ms; "
                  f"ratio p50 ×{run_p50 / log_p50:.2f} (target ≤ 3)")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
