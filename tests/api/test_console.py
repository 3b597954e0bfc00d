"""The request console through real parts: the browser's POST reaches daphne, the playground's
client calls Shop's API over real HTTP (the same daphne), and each failure switch makes the
client meet the real thing — a timeout, a 500, a refused connection."""

import httpx
import pytest

from patterns.api import switches
from patterns.ledger.models import Message
from patterns.shop.models import Order
from tests.helpers import eventually

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])


def console(server, **request):
    response = httpx.post(f"{server.url}/api/api/console", json=request, timeout=20)
    assert response.status_code == 200, response.text
    return response.json()


def exchange_hops(correlation_id):
    return list(
        Message.objects.filter(correlation_id=correlation_id).values_list(
            "hop", "source", "target", "status"
        )
    )


def test_the_console_sends_a_real_request_and_shows_status_headers_body_and_time(asgi_server, ids):
    result = console(
        asgi_server, method="GET", path=f"/api/shop/orders/{ids.order}", client_id="console-t1"
    )
    [answer] = result["exchanges"]
    assert (
        answer["status"] == 200 and answer["body"]["id"] == ids.order and answer["duration_ms"] > 0
    )
    assert answer["response_headers"]["x-request-id"] == answer["correlation_id"]
    assert answer["request_headers"]["X-Client-Id"] == "console-t1"
    assert exchange_hops(answer["correlation_id"]) == [
        ("request", "client", "shop", "ok"),
        ("response", "shop", "client", "ok"),
    ]


def test_shop_erroring_gives_the_client_a_real_500(asgi_server, ids):
    switches.set_mode("erroring")
    [answer] = console(asgi_server, path=f"/api/shop/orders/{ids.order}")["exchanges"]
    assert (
        answer["status"] == 500
        and answer["body"]["error"] == "internal_error"
        and answer["failure"] is None
    )
    assert exchange_hops(answer["correlation_id"]) == [
        ("request", "client", "shop", "ok"),
        ("response", "shop", "client", "error"),
    ]


def test_shop_down_gives_the_client_a_refused_connection_and_both_hops_are_recorded(
    asgi_server, ids
):
    switches.set_mode("down")
    [answer] = console(asgi_server, path=f"/api/shop/orders/{ids.order}")["exchanges"]
    assert answer["failure"] == "refused" and answer["status"] is None
    assert "connection refused" in answer["detail"] and answer["url"].startswith(switches.DOWN_URL)
    assert exchange_hops(answer["correlation_id"]) == [
        ("request", "client", "shop", "error"),
        ("refused", "shop", "client", "error"),
    ]


def test_shop_slow_makes_the_clients_timeout_fire_and_shop_notices_the_client_left(
    asgi_server, ids
):
    switches.set_mode("slow")
    [answer] = console(asgi_server, path=f"/api/shop/orders/{ids.order}")["exchanges"]
    assert answer["failure"] == "timeout" and answer["status"] is None
    assert switches.CLIENT_TIMEOUT * 1000 <= answer["duration_ms"] < switches.SLOW_SECONDS * 1000
    cid = answer["correlation_id"]
    eventually(lambda: len(exchange_hops(cid)) == 3, timeout=10, message="Shop's late hop")
    assert sorted(exchange_hops(cid)) == sorted(
        [
            ("request", "client", "shop", "ok"),
            ("timeout", "shop", "client", "error"),
            ("abandoned", "shop", "client", "error"),
        ]
    )


def test_asking_too_often_from_the_console_meets_the_rate_limit(asgi_server, ids):
    result = console(
        asgi_server, path=f"/api/shop/orders/{ids.order}", repeat=25, client_id="console-burst"
    )
    codes = [a["status"] for a in result["exchanges"]]
    assert codes[:20] == [200] * 20 and 429 in codes, result[
        "summary"
    ]  # bursts of 20, then 2 a second
    assert sum(result["summary"].values()) == 25


def test_nothing_is_lost_under_faults_every_exchange_has_its_two_hops(asgi_server, ids):
    sent = []
    for mode in ("healthy", "erroring", "down", "healthy"):
        switches.set_mode(mode)
        sent += [
            a["correlation_id"]
            for a in console(asgi_server, path=f"/api/shop/orders/{ids.order}", repeat=3)[
                "exchanges"
            ]
        ]
    assert len(set(sent)) == 12
    assert Message.objects.filter(style="api").count() == 24
    for cid in sent:
        assert len(exchange_hops(cid)) == 2


def test_breaking_the_contract_sends_a_real_malformed_order_that_shop_rejects(asgi_server, ids):
    before = Order.objects.using("shop").count()
    response = httpx.post(f"{asgi_server.url}/api/api/break-contract", json={}, timeout=20)
    result = response.json()
    [answer] = result["exchanges"]
    assert answer["status"] == 422 and answer["body"]["field"] == result["broken"]["field"]
    request = Message.objects.get(correlation_id=answer["correlation_id"], hop="request")
    assert request.valid is False and request.contract == "api.order.new"
    assert result["broken"]["field"] in request.error
    assert Order.objects.using("shop").count() == before


def test_placing_an_order_from_the_page_creates_it_through_the_api(asgi_server, ids):
    before = Order.objects.using("shop").count()
    [answer] = httpx.post(f"{asgi_server.url}/api/api/orders", json={}, timeout=20).json()[
        "exchanges"
    ]
    assert answer["status"] == 201 and answer["body"]["status"] == "pending"
    assert Order.objects.using("shop").count() == before + 1


@pytest.mark.parametrize(
    "request_, field",
    [
        ({"path": "http://evil.example/"}, "path"),
        ({"path": "/api/messages"}, "path"),
        ({"path": "/api/shop/../messages"}, "path"),
        ({"path": "/api/shop/orders", "method": "TRACE"}, "method"),
        ({"path": "/api/shop/orders", "headers": {"Host": "evil.example"}}, "headers"),
        ({"path": "/api/shop/orders", "headers": {"X-Evil": "a\r\nb"}}, "headers"),
        ({"path": "/api/shop/orders", "repeat": 500}, "repeat"),
        ({"path": "/api/shop/orders", "client_id": "poller"}, "client_id"),
    ],
)
def test_the_console_refuses_bad_requests_and_sends_nothing(asgi_server, ids, request_, field):
    response = httpx.post(f"{asgi_server.url}/api/api/console", json=request_, timeout=20)
    assert response.status_code == 422 and response.json()["field"].startswith(field)
    assert Message.objects.count() == 0


def test_the_switches_are_an_api_and_heal_by_themselves(asgi_server):
    url = f"{asgi_server.url}/api/api/shop-mode"
    assert httpx.get(url).json()["mode"] == "healthy"
    slow = httpx.put(url, json={"mode": "slow"}).json()
    assert slow["mode"] == "slow" and 0 < slow["heals_in"] <= switches.MODE_MINUTES * 60
    assert httpx.put(url, json={"mode": "broken"}).status_code == 422
    assert httpx.put(url, json={"mode": "healthy"}).json() == {
        "mode": "healthy",
        "explanation": switches.describe("healthy"),
        "heals_in": None,
    }
