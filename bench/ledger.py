"""Benchmark: the ledger's write rate and its record-to-browser latency, each beside a baseline.

    .venv/bin/python bench/ledger.py [--records 3000] [--pings 300]

1. Sustained record() rate, broadcast included, on SQLite — baseline: single-row commits with the
   sqlite3 module and the same pragmas (WAL, synchronous=NORMAL). Target: >= 500 messages/s.
2. Record-to-WebSocket-client latency through a real daphne — baseline: a bare channel-layer
   group_send to the same kind of client. Target: p95 < 50 ms when idle.

Runs on its own data dir (SQLite only) and embedded Redis (as on a fresh machine); prints figures and ratios.
"""

import argparse
import json
import sqlite3
import statistics
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.management import call_command

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import DATA, PORT, daphne, pct, postgres, start_redis, stop, wait_until
from websockets.sync.client import connect

from patterns.feed import doorbell
from patterns.ledger.recorder import record

ROW = {
    "style": "ping",
    "kind": "bench",
    "hop": "sent",
    "source": "a",
    "target": "b",
    "payload": {"n": 0, "note": "x" * 40},
}


def rate(n, fn):
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def baseline_writes(n):
    db = sqlite3.connect(DATA / "baseline.sqlite3", isolation_level=None)
    db.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE m (id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT UNIQUE, style TEXT, kind TEXT,"
        " hop TEXT, source TEXT, target TEXT, payload TEXT, created_at TEXT)"
    )

    def write(i):
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO m (uid, style, kind, hop, source, target, payload, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (f"u{i}", "ping", "bench", "sent", "a", "b", json.dumps(ROW["payload"]), time.time()),
        )
        db.execute("COMMIT")

    return rate(n, write)


def feed_opens(port):
    connect(
        f"ws://127.0.0.1:{port}/ws/feed/", origin=f"http://127.0.0.1:{port}", open_timeout=1
    ).close()
    return True


def ws_client(port):
    ws = connect(
        f"ws://127.0.0.1:{port}/ws/feed/", origin=f"http://127.0.0.1:{port}", open_timeout=10
    )
    ws.send(json.dumps({"type": "resume", "after": None}))
    cursor = json.loads(ws.recv(timeout=10))["cursor"]
    return ws, cursor


def receive_one(ws):
    while True:
        frame = json.loads(ws.recv(timeout=10))
        if frame["type"] == "messages" and frame["messages"]:
            ws.send(json.dumps({"type": "ack", "cursor": frame["cursor"]}))
            return frame


def latencies(port, n, send):
    ws, cursor = ws_client(port)
    samples = []
    for i in range(n):
        start = time.perf_counter()
        cursor = send(i, cursor)
        receive_one(ws)
        samples.append((time.perf_counter() - start) * 1000)
        time.sleep(0.01)  # idle between messages: the target is latency when idle
    ws.close()
    return samples


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--pings", type=int, default=300)
    args = parser.parse_args()
    if postgres():
        raise SystemExit(
            "bench/ledger.py measures the ledger on SQLite beside the sqlite3 module: run it without DATABASE_URL"
        )
    port = PORT
    redis = start_redis()
    server = None
    try:
        call_command("migrate", verbosity=0)
        base = baseline_writes(args.records)
        ours = rate(args.records, lambda i: record(**ROW, uid=f"bench-{i}"))
        doorbell._get_sender().flush(10)
        print(
            f"record() incl. broadcast: {ours:8.0f} msg/s | baseline sqlite3 commits: {base:8.0f} msg/s | "
            f"ratio {ours / base:.2f}  (target >= 500 msg/s: {'met' if ours >= 500 else 'MISSED'})"
        )

        server = daphne()
        wait_until(lambda: feed_opens(port), 30, "daphne did not start", [server])
        layer = get_channel_layer()

        def bare(i, cursor):
            # The same doorbell a record() rings, without the database write: the channel layer's cost.
            nxt = 10**12 + i
            msg = {**ROW, "id": nxt, "room": "", "created_at": "", "correlation_id": "", "uid": ""}
            async_to_sync(layer.group_send)(
                doorbell.GROUP,
                {"type": "ledger.doorbell", "prev_id": cursor, "last_id": nxt, "messages": [msg]},
            )
            return nxt

        def real(i, cursor):
            record(**ROW)  # a fresh uid each time
            return cursor

        latencies(port, 20, bare)  # warm up both paths
        base_ms = latencies(port, args.pings, bare)
        latencies(port, 20, real)
        ours_ms = latencies(port, args.pings, real)
        b95, o95 = pct(base_ms, 95), pct(ours_ms, 95)
        print(
            f"record -> WebSocket: p50 {statistics.median(ours_ms):6.1f} ms, p95 {o95:6.1f} ms | "
            f"baseline group_send: p50 {statistics.median(base_ms):6.1f} ms, p95 {b95:6.1f} ms | "
            f"p95 ratio {o95 / b95:.2f}  (target p95 < 50 ms: {'met' if o95 < 50 else 'MISSED'})"
        )
    finally:
        if server:
            stop([server])
        redis.stop()


if __name__ == "__main__":
    main()
