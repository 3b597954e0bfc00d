"""The poller, through real parts: a real beat ticks, a real worker polls Shop's API over HTTP,
and the counters say honestly how many requests found nothing."""

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from patterns.api import poller, state
from patterns.ledger.models import Message
from patterns.shop import store
from patterns.site import storytime
from tests.helpers import eventually

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])


def start_to_poll_by_hand():
    """Start the poller with its next scheduled poll a minute away, so that a beat and a worker
    running for other tests cannot add a poll to the ones a test makes by hand."""
    poller.start(storytime.to_story(60))
    state.client().hset(poller.key(), "last_at", time.time())


def ran_since(message, snapshot):
    """Whether a poller's request belongs to the run `snapshot` describes (asked since its start)."""
    return parse_qs(urlsplit(message.headers[":path"]).query).get("since") == [snapshot["since"]]


def test_the_interval_is_in_story_time_within_one_to_sixty_real_seconds(asgi_server):
    url = f"{asgi_server.url}/api/api/poller"
    too_fast = httpx.post(url, json={"action": "start", "every": storytime.to_story(0.2)})
    assert too_fast.status_code == 422 and too_fast.json()["field"] == "every"
    started = httpx.post(url, json={"action": "start", "every": storytime.to_story(2)}).json()
    assert (
        started["running"] is True
        and "(story)" in started["every_text"]
        and started["requests"] == 0
    )
    assert httpx.post(url, json={"action": "stop"}).json()["running"] is False
    assert httpx.post(url, json={"action": "pause"}).status_code == 422


def test_one_poll_asks_for_orders_since_the_start_and_counts_what_it_found(asgi_server, ids):
    start_to_poll_by_hand()
    import asyncio

    empty = asyncio.run(poller.poll_once())
    assert empty.status == 200 and empty.body["items"] == []
    placed = store.create_order(ids.customer, "12.00")
    found = asyncio.run(poller.poll_once())
    assert [o["id"] for o in found.body["items"]] == [placed["id"]]
    again = asyncio.run(poller.poll_once())
    assert again.body["items"] == []  # the cursor moved on: an order is found once
    counts = poller.snapshot()
    assert (counts["requests"], counts["found"], counts["empty"], counts["orders"]) == (3, 1, 2, 1)
    assert counts["average_wait_ms"] > 0 and counts["pushes_instead"] == 1
    # This run's polls: a poll that a beat tick started for an earlier test may be recorded late.
    polls = [
        m for m in Message.objects.filter(style="api", source="poller") if ran_since(m, counts)
    ]
    assert len(polls) == 3 and {m.headers[":path"].split("?")[0] for m in polls} == {
        "/api/shop/orders"
    }


def test_a_poll_that_finds_shop_down_counts_as_failed(asgi_server):
    import asyncio

    from patterns.api import switches

    start_to_poll_by_hand()
    switches.set_mode("down")
    outcome = asyncio.run(poller.poll_once())
    assert outcome.failure == "refused"
    assert poller.snapshot()["failed"] == 1


@pytest.mark.slow
def test_beat_and_a_worker_keep_polling_and_find_new_orders(
    asgi_server, celery_worker, celery_beat, ids
):
    poller.start(storytime.to_story(1))
    eventually(lambda: poller.snapshot()["requests"] >= 2, timeout=30, message="two polls")
    store.create_order(ids.customer, "30.00")
    eventually(
        lambda: poller.snapshot()["orders"] == 1, timeout=30, message="the new order to be found"
    )
    poller.stop()
    counts = poller.snapshot()
    assert counts["requests"] == counts["found"] + counts["empty"] + counts["failed"]
    assert counts["found"] == 1 and not poller.tick()  # stopped: a tick does nothing
