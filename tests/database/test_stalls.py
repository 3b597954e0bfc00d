"""No single query can hold the console past its limit: a function asked to build billions of
characters in one step is refused or stopped, and while two hostile queries run, another
person's SELECT 1 still answers.

Two tests bound wall-clock time, because the bound is the requirement itself ("answered within
the time limit", "SELECT 1 within 2.5 s"); the bounds are generous beside what they guard against
(the same queries ran 25 to 80 s before)."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connections

from patterns.database import reader
from tests.helpers import eventually

from .test_console import RUNAWAY, connection_vendor, post

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)

LIMIT_S = reader.TIME_LIMIT_MS / 1000
A = "substr(replace(hex(zeroblob({half})), '0', '{char}'), 1, {length})"  # SQLite: `length` copies of `char`
SQLITE_BOMBS = {  # statement -> expected error code (each ran 2.7 to 80+ s in one uninterruptible step before)
    "SELECT printf('%.*c', 2000000000, 'x')": "not_allowed",
    "SELECT format('%.*c', 2000000000, 'x')": "not_allowed",
    "SELECT length(printf('%200000000s', 'x'))": "not_allowed",
    "SELECT length(zeroblob(2000000000))": "value_too_large",
    "SELECT length(randomblob(2000000000))": "value_too_large",
    # replace() and instr() compare the needle at every place in the haystack: 1 MB x 0.5 MB
    f"SELECT length(replace({A.format(half=500000, char='a', length=999990)}, "
    f"{A.format(half=250000, char='a', length=499990)} || 'b', ''))": "value_too_large",
    f"SELECT instr({A.format(half=500000, char='a', length=999990)}, "
    f"{A.format(half=250000, char='a', length=499990)} || 'b')": "value_too_large",
    # trim() tries every character of its list at every place: 0.5 MB x 83,000 characters
    f"SELECT length(trim({A.format(half=250000, char='a', length=500000)}, "
    f"{A.format(half=41500, char='b', length=83000)} || 'a'))": "value_too_large",
    # a replace() that grows tenfold per level
    "SELECT length(" + "replace(" * 6 + "'0'" + ", '0', '0000000000')" * 6 + ")": "value_too_large",
}
PG_BOMBS = {
    "SELECT length(repeat('x', 2000000000))": "value_too_large",
    "SELECT length(lpad('x', 2000000000))": "value_too_large",
    "SELECT length(rpad('', 1000000000, 'ab'))": "value_too_large",
    "SELECT pg_sleep(10)": "time_limit",
    "SELECT set_config('statement_timeout', '0', false), pg_sleep(10)": "time_limit",
    "SELECT length(repeat('x', 1000000000)) FROM generate_series(1, 10)": "time_limit",
    # format() pads without ever checking for a cancel: 1 GB of padding runs many seconds past
    # statement_timeout, and the console stops waiting for it a second after the limit
    "SELECT length(format('%1000000000s', 'x'))": "time_limit",
}
# Hostile queries that keep a console seat busy to the end of their time limit, or past it
HOSTILE = {
    "sqlite": [RUNAWAY, "SELECT printf('%.*c', 2000000000, 'x')"],
    "postgresql": [RUNAWAY, "SELECT length(format('%1000000000s', 'x'))"],
}


def bombs():
    vendor = connection_vendor()
    return list((SQLITE_BOMBS if vendor == "sqlite" else PG_BOMBS).items())


@pytest.mark.parametrize("sql, code", bombs(), ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_a_function_asked_for_billions_is_refused_or_stopped_within_the_limit(
    client, shop, sql, code
):
    started = time.monotonic()
    response = post(client, sql)
    elapsed = time.monotonic() - started
    body = response.json()
    assert (response.status_code, body["error"]) == ({"not_allowed": 403}.get(code, 422), code), (
        body
    )
    assert body["detail"] and body["database_error"]
    assert elapsed < LIMIT_S + 2.5  # limit, the lane's 1 s grace, and room for a busy machine
    _wait_for_abandoned_queries_to_finish()


@pytest.mark.skipif("connection_vendor() != 'sqlite'")
def test_a_refused_function_is_named_with_the_reason_a_learner_reads(client, shop):
    body = post(client, "SELECT printf('%.*c', 2000000000, 'x')").json()
    assert (
        "printf()" in body["detail"]
        and "one step that no time limit can interrupt" in body["detail"]
    )
    assert body["database_error"] == "not authorized to use function: printf"
    too_big = post(client, "SELECT zeroblob(2000000000)").json()
    assert "at most 64 KB" in too_big["detail"] and "too big" in too_big["database_error"]


def test_everyday_text_functions_still_answer(client, shop):
    sql = (
        "SELECT upper(name), replace(email, '@', ' at '), length(trim('  x  ')), "
        "substr(city, 1, 3) FROM shop_customer ORDER BY id LIMIT 3"
    )
    body = post(client, sql).json()
    assert len(body["rows"]) == 3 and " at " in body["rows"][0][1]


@pytest.mark.parametrize("hostile", [0, 1], ids=["runaway", "one-long-step"])
def test_another_persons_select_1_answers_while_two_hostile_queries_run(asgi_server, shop, hostile):
    sql = HOSTILE[connection_vendor()][hostile]

    def send(text):
        started = time.monotonic()
        response = httpx.post(
            f"{asgi_server.url}/api/database/query", json={"sql": text}, timeout=120
        )
        return response, time.monotonic() - started

    with ThreadPoolExecutor(2) as hostile_clients:
        both = [hostile_clients.submit(send, sql) for _ in range(2)]
        answered = []
        while not all(f.done() for f in both) or not answered:
            answered.append(send("SELECT 1 AS one"))
        hostile_answers = [f.result()[0] for f in both]
    assert {r.status_code for r in hostile_answers} <= {403, 422}, [r.text for r in hostile_answers]
    seen = [(r.status_code, r.json().get("rows"), round(seconds, 3)) for r, seconds in answered]
    assert all(status == 200 and rows == [[1]] for status, rows, _ in seen), seen
    assert max(seconds for *_, seconds in seen) < 2.5, seen  # the requirement itself
    _wait_for_abandoned_queries_to_finish()


def _wait_for_abandoned_queries_to_finish():
    """A query the console stopped waiting for may still run on PostgreSQL: let it end before the
    test database is dropped."""
    if connection_vendor() != "postgresql":
        return

    def idle():
        with connections["shop"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = 'playground_reporting' "
                "AND state = 'active'"
            )
            return cursor.fetchone()[0] == 0

    eventually(idle, timeout=120, interval=0.2, message="abandoned console queries to finish")


@pytest.mark.skipif("connection_vendor() != 'postgresql'")
def test_on_postgresql_megabyte_values_are_read_only_until_a_few_megabytes(client, shop):
    body = post(client, "SELECT repeat('x', 1000000) AS big FROM generate_series(1, 5000)").json()
    assert body["truncated"] is True and 0 < body["row_count"] < reader.ROW_CAP
    assert body["rows"][0][0] == "x" * 1000000
    empty = post(
        client, "SELECT id, total FROM shop_order WHERE false"
    ).json()  # columns, even without rows
    assert (empty["columns"], empty["rows"], empty["truncated"]) == (["id", "total"], [], False)
