"""Runaway queries wait out their time limit in the console's own pool: the dashboard keeps
answering meanwhile, and a flood beyond the pool's queue is told "busy" instead of piling up."""

import asyncio
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from patterns.database import lane, reader
from patterns.ledger.models import Message
from tests.helpers import eventually

from .test_console import RUNAWAY

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


@pytest.mark.slow
def test_the_dashboard_answers_while_the_console_pool_is_full_of_runaway_queries(asgi_server, shop):
    finished = []

    def runaway(_):
        response = httpx.post(
            f"{asgi_server.url}/api/database/query", json={"sql": RUNAWAY}, timeout=60
        )
        finished.append(("runaway", response.status_code))

    with ThreadPoolExecutor(8) as clients:
        futures = [
            clients.submit(runaway, n) for n in range(8)
        ]  # two rounds of the pool's four threads
        time.sleep(
            0.5
        )  # a head start for the runaways (set-up, not proof: how full the pool is cannot be seen from here)
        board = httpx.get(
            f"{asgi_server.url}/api/database/dashboard", params={"via": "direct"}, timeout=60
        ).json()
        finished.append(("dashboard", board["ok"]))
        for future in futures:
            future.result()
    assert (
        finished.index(("dashboard", True)) < len(finished) - 4
    )  # answered before the second round ended
    assert [code for what, code in finished if what == "runaway"] == [422] * 8
    assert Message.objects.filter(kind="console.query", payload__outcome="too_slow").count() == 8


def test_a_flood_beyond_the_console_queue_is_told_busy_and_nothing_runs(client, shop, monkeypatch):
    monkeypatch.setattr(reader, "MAX_WAITING", 0)
    response = client.post(
        "/api/database/query", {"sql": "SELECT 1"}, content_type="application/json"
    )
    assert response.status_code == 429 and response.json()["error"] == "console_busy"
    assert not Message.objects.filter(style="database").exists()


def test_the_console_pool_counts_what_it_holds_and_frees_it():
    async def both():
        slow = asyncio.ensure_future(reader.in_pool(time.sleep, 0.3, pool="console"))
        await asyncio.sleep(
            0
        )  # one turn of the loop: the slow job counts itself before its first await
        with pytest.raises(reader.Busy):
            await reader.in_pool(time.sleep, 0, pool="console")
        await slow
        await reader.in_pool(time.sleep, 0, pool="console")  # room again

    original = reader.MAX_WAITING
    reader.MAX_WAITING = 1
    try:
        asyncio.run(both())
    finally:
        reader.MAX_WAITING = original


def test_a_query_stuck_past_its_limit_gives_its_seat_up_and_the_next_one_runs():
    release = threading.Event()
    console = lane.Lane(seats=2, limit_s=0.2, grace_s=0.1, most_abandoned=2)

    async def scene():
        stuck = [
            asyncio.ensure_future(console.run(release.wait, 60)) for _ in range(2)
        ]  # a step nothing interrupts
        assert await console.run(sum, [1, 2]) == 3  # seated once the stuck two gave their seats up
        for job in stuck:
            with pytest.raises(lane.Overran):
                await job
        with pytest.raises(lane.Full):  # two stuck threads still linger: nothing new is taken
            await console.run(sum, [])
        release.set()
        await asyncio.to_thread(
            eventually, lambda: console.abandoned == 0, message="the stuck threads to end"
        )
        assert (console.running, await console.run(sum, [2, 2])) == (0, 4)

    asyncio.run(scene())


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="thread priorities are per thread on Linux"
)
def test_a_console_query_runs_at_a_lower_cpu_priority_than_the_server():
    console = lane.Lane(seats=1, limit_s=1, grace_s=1, most_abandoned=1)
    own = os.getpriority(os.PRIO_PROCESS, 0)  # on Linux: this thread's
    assert asyncio.run(console.run(os.getpriority, os.PRIO_PROCESS, 0)) == min(
        19, own + lane.NICENESS
    )
    assert os.getpriority(os.PRIO_PROCESS, 0) == own
