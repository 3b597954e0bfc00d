"""Several web processes share the channel layer and the ledger: a page on one sees what another sent."""

import httpx
import pytest

from playground.embedded_redis import free_port
from playground.processes import stop
from tests.helpers import FeedClient
from tests.servers import start_daphne

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]  # daphne processes of its own


def test_a_ping_sent_through_one_web_process_reaches_a_page_on_another(
    asgi_server, celery_worker, server_env
):
    other = start_daphne(server_env, name="daphne-b", port=free_port())
    try:
        with FeedClient(other, query="style=ping") as feed:
            feed.wait_ready()
            response = httpx.post(f"{asgi_server.url}/api/ping", json={}, timeout=10)
            got = feed.collect(4, timeout=30)
        assert [m["hop"] for m in got] == ["request", "enqueued", "picked-up", "reply"]
        assert {m["correlation_id"] for m in got} == {response.json()["correlation_id"]}
    finally:
        stop([other.process])


def test_a_page_whose_web_process_dies_resumes_on_another_without_a_gap(asgi_server, server_env):
    from tests.helpers import record_pings

    doomed = start_daphne(server_env, name="daphne-doomed", port=free_port())
    with FeedClient(doomed) as feed:
        feed.wait_ready()
        first = record_pings(5)
        feed.collect(5)
        cursor = feed.cursor
    stop([doomed.process])
    missed = record_pings(7)  # while the page has no server
    with FeedClient(asgi_server, after=cursor) as feed:
        got = [m["id"] for m in feed.collect(7)]
        assert feed.settle() == []
    assert got == missed and cursor == first[-1]
