"""/api/health and /health tell what is up and what is down, and pages load while Redis is down."""

import httpx
import pytest

from playground.embedded_redis import free_port
from playground.processes import stop
from tests.helpers import eventually
from tests.servers import start_daphne

pytestmark = pytest.mark.django_db(transaction=True)
PARTS = ["database", "shop_database", "redis", "broker", "channel_layer", "workers", "beat"]


def health(server):
    response = httpx.get(f"{server.url}/api/health", timeout=15)
    assert response.status_code == 200
    return response.json()


def test_every_part_is_reported_up_with_workers_and_beat_running(
    asgi_server, celery_worker, celery_beat
):
    def all_up():
        body = health(asgi_server)
        return body if body["status"] == "ok" else None

    body = eventually(all_up, timeout=30, interval=1, message="every part to be up")
    assert [c["name"] for c in body["components"]] == PARTS
    workers = next(c for c in body["components"] if c["name"] == "workers")
    assert workers["detail"].startswith("1 running")


@pytest.mark.slow
def test_with_redis_gone_pages_still_load_and_health_says_what_is_down(server_env):
    env = dict(server_env, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    env.pop("CELERY_BROKER_URL", None)
    server = start_daphne(env, name="daphne-no-redis", port=free_port())
    try:
        for page in ("/", "/messages/", "/health"):
            assert httpx.get(server.url + page, timeout=15).status_code == 200, page
        parts = {c["name"]: c for c in health(server)["components"]}
        assert {name for name, c in parts.items() if not c["up"]} == {
            "redis",
            "broker",
            "channel_layer",
            "workers",
            "beat",
        }
        assert parts["database"]["up"] and parts["shop_database"]["up"]
        ping = httpx.post(server.url + "/api/ping", json={}, timeout=30)
        assert ping.status_code == 503 and ping.json()["error"] == "queue_unreachable"
    finally:
        stop([server.process])
