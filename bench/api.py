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
import json
import random
import statistics
import time
import urllib.request

import httpx

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import BASE, pct, postgres, start_playground, stop


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
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": pct(latencies, 95),
        "n": len(latencies),
        "errors": sum(r["errors"] for r in rounds),
    }


def ledger_count(base):
    return json.load(urllib.request.urlopen(f"{base}/api/stats"))["by_style"].get("api", 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=12, help="per endpoint, split into --rounds"
    )
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternate the two endpoints this many times"
    )
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    base = BASE
    process = start_playground(
        "--workers",
        "1",
        env={"SHOP_API_RATE_LIMIT": "1000000/1s", "LOG_LEVEL": "WARNING", "DEBUG": "true"},
    )
    try:
        ids = [
            o["id"]
            for o in httpx.get(
                f"{base}/api/shop/orders?limit=200", headers={"X-Client-Id": "setup"}
            ).json()["items"]
        ]
        runs = {
            "baseline": lambda i: f"{base}/request-response/baseline/orders/{i}",
            "api": lambda i: f"{base}/api/shop/orders/{i}",
        }
        for url_of in runs.values():  # warm up both (imports, connections, caches)
            asyncio.run(drive(url_of, ids, 1.5, args.clients))
        before = ledger_count(base)
        rounds = {name: [] for name in runs}
        for _ in range(args.rounds):  # alternating: a noisy neighbour hurts both alike
            for name, url_of in runs.items():
                rounds[name].append(
                    asyncio.run(drive(url_of, ids, args.seconds / args.rounds, args.clients))
                )
        recorded = ledger_count(base) - before
        results = {name: summarise(r) for name, r in rounds.items()}
    finally:
        stop([process], timeout=30)
    print(
        f"GET one order, {args.clients} concurrent clients, {args.seconds:g} s each in {args.rounds} alternating rounds, one daphne "
        f"({'PostgreSQL, throwaway databases' if postgres() else 'SQLite'})"
    )
    for name, r in results.items():
        print(
            f"  {name:<9} {r['rps']:8.1f} req/s   p50 {r['p50']:6.1f} ms   p95 {r['p95']:6.1f} ms   "
            f"({r['n']} requests, {r['errors']} not 200)"
        )
    ratio = results["api"]["rps"] / results["baseline"]["rps"]
    print(f"  ratio     {ratio:.2f} x baseline throughput (target >= 0.5)")
    print(
        f"  ledger    {recorded} api hops recorded for {results['api']['n']} API requests "
        f"(2 per request: {'yes' if recorded == 2 * results['api']['n'] else 'NO'})"
    )


if __name__ == "__main__":
    main()
