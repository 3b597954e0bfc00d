"""Attacks and push-vs-poll, through real parts (daphne, a Celery worker, beat)."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from websockets.exceptions import InvalidStatus

from patterns.webhooks import outbox, poller
from patterns.webhooks.models import Processed
from tests.helpers import FeedClient, eventually, hops

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker", "celery_beat"),
]


@pytest.mark.parametrize(
    "kind, reason", [("forge", "does not match"), ("replay", "more than 5 minutes old")]
)
def test_an_attack_is_a_real_request_that_shop_refuses(asgi_server, kind, reason):
    outbox.fire("payment.completed")
    eventually(lambda: hops("webhooks", "processed"), message="a genuine delivery first")
    from patterns.webhooks.tasks import attack

    attack.delay(kind)
    rejected = eventually(lambda: hops("webhooks", "rejected"), message="Shop's rejection")[0]
    assert rejected.status_code == 401 and reason in rejected.error
    answer = eventually(
        lambda: [m for m in hops("webhooks", "answer") if m.target == "attacker"],
        message="the attacker's answer",
    )[0]
    assert (
        answer.status_code == 401 and answer.payload["refused"] is True and answer.status == "error"
    )
    assert Processed.objects.count() == 1  # only the genuine one
    assert hops("webhooks", kind)[0].correlation_id == rejected.correlation_id


@pytest.mark.slow
def test_the_poller_asks_over_http_and_finds_mostly_nothing_while_webhooks_arrive_at_once(
    asgi_server,
):
    poller.start(interval=900)  # every 15 story minutes = 0.6 s real
    eventually(lambda: poller.state().requests >= 2, message="two polls")
    fired = [outbox.fire("payment.completed")[0] for _ in range(3)]
    eventually(
        lambda: poller.state().found == 3, timeout=20, message="the poller to find the three events"
    )
    eventually(
        lambda: poller.state().requests >= poller.state().found + 3, message="more empty polls"
    )
    numbers = poller.numbers()
    assert numbers["poll"]["empty"] >= 2 and numbers["poll"]["requests"] > numbers["poll"]["found"]
    assert (
        numbers["push"]["found"] == 3
        and numbers["push"]["empty"] == 0
        and numbers["push"]["requests"] == 3
    )
    # Both sides' staleness is measured and shown; which is smaller is a timing, compared by
    # bench/webhooks.py, not asserted here (a loaded machine delays a push as much as a poll).
    assert (
        numbers["push"]["staleness_ms"] is not None and numbers["poll"]["staleness_ms"] is not None
    )
    polls = hops("webhooks", "poll-answer")
    assert sum(p.payload["found"] for p in polls) == 3
    assert {e for p in polls for e in p.payload["events"]} == {e.event_id for e in fired}
    poller.stop()


def test_the_feed_refuses_a_page_from_another_origin(asgi_server):
    with pytest.raises(InvalidStatus):  # the handshake is refused (403)
        with FeedClient(asgi_server, query="style=webhooks", origin="https://evil.example") as feed:
            feed.wait_ready(timeout=3)


@pytest.mark.django_db(transaction=True)
def test_a_poll_slower_than_its_interval_is_not_overlapped_by_the_next(monkeypatch):
    """Two polls at once would both ask from the same cursor and count its events twice."""
    from django.db import connection

    from patterns.site import storytime

    poller.start(interval=storytime.to_story(0.05))  # due every 50 ms real
    # The suite's beat ticks every poller that is due now, in its worker, with the real poll. Here
    # the poll falls due 20 s from now and the test ticks at that moment, so beat never claims it
    # first (a claim holds 30 s from the real now, so it still holds then).
    due = timezone.now() + timedelta(seconds=20)
    poller.mine().update(next_poll_at=due)
    inside, release, polls = threading.Event(), threading.Event(), []

    def slow_poll():  # the answer takes longer than the interval, as on a busy machine
        polls.append(time.monotonic())
        inside.set()
        release.wait(10)
        return []

    def tick_in_a_thread():
        try:
            poller.tick(now=due)
        finally:
            connection.close()

    monkeypatch.setattr(poller, "poll", slow_poll)
    first = threading.Thread(target=tick_in_a_thread)
    first.start()
    assert inside.wait(10)
    later = due + timedelta(seconds=0.2)  # four intervals later
    assert poller.tick(now=later) == 0 and len(polls) == 1  # the first poll's claim still holds
    release.set()
    first.join(10)
    eventually(
        lambda: poller.tick(now=later) == 1,
        timeout=5,
        message="the next poll, once the first answered",
    )
    assert len(polls) == 2
