"""Reporting's own connection to Shop's database, read-only in fact (sqlite_reader, pg_reader).

Reporting does not borrow Shop's code or Django's connection: like a real reporting tool it holds
its own connection with its own (read-only) credentials, runs SQL text, and gets rows back. Queries
run off the event loop — Reporting's dashboard in a small thread pool, learners' console queries in
the console's lane (lane.py) — so a runaway query waits out its time limit there and never holds
up the web server's other requests, and a room full of runaway queries never holds up the
dashboard, nor one stuck query the console.
"""

import asyncio
import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connections

from . import lane
from .failures import Failure
from .statements import count

DB = "shop"
TIME_LIMIT_MS = getattr(settings, "REPORTING_TIME_LIMIT_MS", 2000)
ROW_CAP = 200
POOLS = {"reporting": ThreadPoolExecutor(max_workers=4, thread_name_prefix="reporting")}
# Four at once: two runaway queries leave room for a third person's SELECT 1. A query still running
# a second past its limit gives its seat up, and at most 8 such threads may linger.
CONSOLE = lane.Lane(seats=4, limit_s=TIME_LIMIT_MS / 1000, grace_s=1.0, most_abandoned=8)
MAX_WAITING = 24  # console queries queued or running in one process; beyond that: "busy, try again"
_waiting, _waiting_lock = {"console": 0}, threading.Lock()


class Busy(Exception):
    pass


@dataclass
class Result:
    columns: list
    rows: list
    truncated: bool
    duration_ms: float


def vendor():
    return connections[DB].vendor


@contextmanager
def session(time_limit_ms=TIME_LIMIT_MS):
    """One read-only connection to Shop's database, closed afterwards."""
    db = connections[DB].settings_dict
    if vendor() == "sqlite":
        from .sqlite_reader import SqliteSession

        opened = SqliteSession(db["NAME"], time_limit_ms)
    else:
        from .pg_reader import PostgresSession

        opened = PostgresSession(db, time_limit_ms)
    try:
        yield opened
    finally:
        opened.close()


def run(conn, sql, params=None, row_cap=ROW_CAP):
    """Run one statement on an open session; a Result, or Failure with the database's error."""
    statements = count(sql)
    if statements > 1:
        raise Failure("stacked", f"{statements} statements in one query")
    if statements == 0:
        raise Failure("sql_error", "there is no statement to run")
    started = time.perf_counter()
    columns, rows, truncated = conn.execute(sql, params, row_cap)
    duration = round((time.perf_counter() - started) * 1000, 3)
    return Result(columns, [[plain(v) for v in row] for row in rows], truncated, duration)


def query(sql, params=None, row_cap=ROW_CAP, time_limit_ms=TIME_LIMIT_MS):
    """Open, run one statement, close."""
    with session(time_limit_ms) as conn:
        return run(conn, sql, params, row_cap)


async def in_pool(fn, *args, pool="reporting"):
    """Run a blocking reader function off the event loop, from async code. The console's lane takes
    at most MAX_WAITING jobs at once (Busy beyond), so a flood cannot queue without end; a console
    job past its limit raises lane.Overran."""
    if pool == "reporting":
        return await asyncio.get_running_loop().run_in_executor(POOLS[pool], fn, *args)
    with _waiting_lock:
        if _waiting["console"] >= MAX_WAITING:
            raise Busy()
        _waiting["console"] += 1
    try:
        return await CONSOLE.run(fn, *args)
    except lane.Full:
        raise Busy() from None
    finally:
        with _waiting_lock:
            _waiting["console"] -= 1


def plain(value):
    """A database value as JSON can carry it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    return value
