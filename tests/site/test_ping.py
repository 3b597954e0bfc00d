"""A ping through real parts: HTTP to daphne -> Celery job on Redis -> worker -> ledger -> WebSocket."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.core.management import CommandError, call_command

from patterns.ledger.models import Message
from tests.helpers import FeedClient, eventually

pytestmark = pytest.mark.django_db(transaction=True)
HOPS = ["request", "enqueued", "picked-up", "reply"]


def test_a_ping_goes_view_task_ledger_and_reaches_a_websocket_client(asgi_server, celery_worker):
    with FeedClient(asgi_server, query="style=ping") as feed:
        feed.wait_ready()
        response = httpx.post(f"{asgi_server.url}/api/ping", json={"note": "row 3"}, timeout=10)
        assert response.status_code == 201
        correlation_id = response.json()["correlation_id"]
        got = feed.collect(4, timeout=30)
    assert [m["hop"] for m in got] == HOPS
    assert {m["correlation_id"] for m in got} == {correlation_id}
    assert [(m["source"], m["target"]) for m in got] == [
        ("browser", "web"),
        ("web", "queue"),
        ("queue", "worker"),
        ("worker", "browser"),
    ]
    reply = got[-1]
    assert reply["valid"] is True and reply["payload"]["note"] == "row 3"
    assert reply["payload"]["round_trip_ms"] > 0 and reply["latency_ms"] > 0


def test_fire_sends_pings_from_the_terminal(celery_worker, capsys):
    call_command("fire", "ping", "ping", "--count", "3", "--data", '{"note": "from a terminal"}')
    eventually(lambda: Message.objects.filter(hop="reply").count() == 3, message="three replies")
    assert Message.objects.count() == 12
    assert "3 × ping ping fired" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, problem",
    [
        (["ping", "pong"], "nothing to fire"),
        (["ping", "ping", "--count", "0"], "--count"),
        (["ping", "ping", "--data", "{oops"], "not JSON"),
        (["ping", "ping", "--data", "[1]"], "JSON object"),
        (["ping", "ping", "--data", '{"note": 5}'], "contract"),
    ],
)
def test_fire_refuses_bad_input_and_sends_nothing(args, problem):
    with pytest.raises(CommandError, match=problem):
        call_command("fire", *args)
    assert Message.objects.count() == 0


def test_fire_lists_what_can_be_fired(capsys):
    call_command("fire", "--list")
    assert "ping ping" in capsys.readouterr().out


def test_many_pings_at_once_are_all_recorded_once_with_web_and_workers_writing_together(
    asgi_server, celery_worker
):
    """daphne and two worker processes write the ledger at the same time: nothing lost, nothing
    doubled, no "database is locked"."""
    with (
        httpx.Client(base_url=asgi_server.url, timeout=30) as client,
        ThreadPoolExecutor(8) as pool,
    ):
        answers = list(
            pool.map(lambda n: client.post("/api/ping", json={"note": f"#{n}"}), range(60))
        )
    assert [a.status_code for a in answers] == [201] * 60
    eventually(
        lambda: Message.objects.filter(hop="reply").count() == 60, timeout=60, message="60 replies"
    )
    assert Message.objects.count() == 240
    assert Message.objects.values("correlation_id").distinct().count() == 60
    assert not Message.objects.filter(status="error").exists()
