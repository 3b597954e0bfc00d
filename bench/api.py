"""Benchmark: GET /api/shop/orders/{id} through a running playground, beside a baseline.

Starts its own playground (`manage.py playground`: daphne, a worker, beat, embedded Redis) on a
fresh data dir, then drives both endpoints with the same concurrent HTTP clients:

  api       GET /api/shop/orders/{id}: ninja, Shop's gate (rate limit + switches in Redis) and two
            ledger hops (request, response) per call — everything a real call costs
  baseline  GET /request-response/baseline/orders/{id}: a bare Django view returning the same JSON,
            no ledger, same server

Prints requests/s and p50/p95 latency of both and the ratio. Target: api >= 0.5 x baseline.
The rate limit is raised for the run (SHOP_API_RATE_LIMIT) so the limiter runs but never refuses.

  python bench/api.py [--seconds 12] [--clients 8]
  DATABASE_URL=postgres://…/postgres python bench/api.py   (PostgreSQL: runs on throwaway databases it
                                                           creates beside the named one and drops after)
"""

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.embedded_redis import free_port  # noqa: E402
from playground.processes import start_child, stop  # noqa: E402


def throwaway_databases():
    """On PostgreSQL, fresh databases for this run (the ones named in the URLs are never touched):
    returns (extra env, cleanup)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return {}, lambda: None
    import psycopg

    names = [f"bench_api_{os.getpid()}", f"bench_api_shop_{os.getpid()}"]
    admin = psycopg.connect(url, autocommit=True)
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]

    def cleanup():
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return {"DATABASE_URL": f"{base}/{names[0]}", "SHOP_DATABASE_URL": f"{base}/{names[1]}"}, cleanup


def start_playground(data_dir, port, databases):
    env = dict(os.environ, **databases, PLAYGROUND_DATA_DIR=str(data_dir), SHOP_API_RATE_LIMIT="1000000/1s",
               PLAYGROUND_BASE_URL=f"http://127.0.0.1:{port}", LOG_LEVEL="WARNING", DEBUG="true")
    log = open(Path(data_dir) / "bench-playground.log", "wb")
    process = start_child([sys.executable, "manage.py", "playground", "--port", str(port), "--workers", "1"],
                          cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=1).status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    stop([process])
    print(Path(data_dir, "bench-playground.log").read_text()[-3000:])
    raise SystemExit(f"the playground did not start; see {data_dir}/bench-playground.log")


async def drive(url_of, ids, seconds, clients):
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    elapsed = 0.0

    async def one_client(http):
        nonlocal errors
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await http.get(url_of(random.choice(ids)), headers={"X-Client-Id": "bench"})
            latencies.append((time.perf_counter() - started) * 1000)
            errors += response.status_code != 200

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=10, limits=limits, trust_env=False) as http:
        begun = time.monotonic()
        await asyncio.gather(*(one_client(http) for _ in range(clients)))
        elapsed = time.monotonic() - begun
    return {"latencies": latencies, "elapsed": elapsed, "errors": errors}


def summarise(rounds):
    """Pool the rounds of one endpoint: requests/s over their total time, p50/p95 of all latencies."""
    latencies = sorted(ms for r in rounds for ms in r["latencies"])
    elapsed = sum(r["elapsed"] for r in rounds)
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1], "n": len(latencies),
            "errors": sum(r["errors"] for r in rounds)}


def ledger_count(base):
    import json

    return json.load(urllib.request.urlopen(f"{base}/api/stats"))["by_style"].get("api", 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12, help="per endpoint, split into --rounds")
    parser.add_argument("--rounds", type=int, default=4, help="alternate the two endpoints this many times")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    databases, drop_databases = throwaway_databases()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as data_dir:
        process = start_playground(data_dir, port, databases)
        try:
            ids = [o["id"] for o in httpx.get(f"{base}/api/shop/orders?limit=200", headers={"X-Client-Id": "setup"}).json()["items"]]
            runs = {"baseline": lambda i: f"{base}/request-response/baseline/orders/{i}",
                    "api": lambda i: f"{base}/api/shop/orders/{i}"}
            for url_of in runs.values():  # warm up both (imports, connections, caches)
                asyncio.run(drive(url_of, ids, 1.5, args.clients))
            before = ledger_count(base)
            rounds = {name: [] for name in runs}
            for _ in range(args.rounds):  # alternating: a noisy neighbour hurts both alike
                for name, url_of in runs.items():
                    rounds[name].append(asyncio.run(drive(url_of, ids, args.seconds / args.rounds, args.clients)))
            recorded = ledger_count(base) - before
            results = {name: summarise(r) for name, r in rounds.items()}
        finally:
            stop([process])
            drop_databases()
    print(f"GET one order, {args.clients} concurrent clients, {args.seconds:g} s each in {args.rounds} alternating rounds, one daphne "
          f"({'PostgreSQL, throwaway databases' if databases else 'SQLite'})")
    for name, r in results.items():
        print(f"  {name:<9} {r['rps']:8.1f} req/s   p50 {r['p50']:6.1f} ms   p95 {r['p95']:6.1f} ms   "
              f"({r['n']} requests, {r['errors']} not 200)")
    ratio = results["api"]["rps"] / results["baseline"]["rps"]
    print(f"  ratio     {ratio:.2f} x baseline throughput (target >= 0.5)")
    print(f"  ledger    {recorded} api hops recorded for {results['api']['n']} API requests "
          f"(2 per request: {'yes' if recorded == 2 * results['api']['n'] else 'NO'})")


if __name__ == "__main__":
    main()
