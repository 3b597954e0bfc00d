"""The browser is never trusted here either: CSRF on the page's POSTs, origin-checked feed,
escaped output; and `fire api …` works from a terminal."""

import httpx
import pytest
from django.test import Client
from websockets.exceptions import InvalidStatus

from patterns.ledger.models import Message
from tests.helpers import FeedClient


@pytest.fixture
def browser_client():
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    return client


@pytest.mark.django_db(databases=["default", "shop"])
@pytest.mark.parametrize(
    "url, body",
    [
        ("/api/api/console", {"path": "/api/shop/orders"}),
        ("/api/api/orders", {}),
        ("/api/api/poller", {"action": "start"}),
        ("/api/shop/orders", {"customer_id": 1, "total": 1}),
    ],
)
def test_a_browser_post_without_the_csrf_token_is_refused_and_changes_nothing(
    browser_client, shop, url, body
):
    response = browser_client.post(url, body, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"] == "csrf_failed"
    assert Message.objects.count() == 0


@pytest.mark.django_db(databases=["default", "shop"])
def test_a_browser_put_of_the_switches_needs_the_token_too(browser_client):
    response = browser_client.put(
        "/api/api/shop-mode", {"mode": "down"}, content_type="application/json"
    )
    assert response.status_code == 403
    token = browser_client.cookies["csrftoken"].value
    ok = browser_client.put(
        "/api/api/shop-mode",
        {"mode": "healthy"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert ok.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_pages_feed_refuses_a_foreign_origin(asgi_server):
    with pytest.raises(InvalidStatus):
        with FeedClient(asgi_server, query="style=api", origin="https://evil.example"):
            pass


@pytest.mark.django_db(databases=["default", "shop"])
def test_the_page_renders_with_its_controls_and_examples(client, ids):
    html = client.get("/request-response/").content.decode()
    for text in (
        "Request console",
        "Make Shop slow",
        "Switch Shop off",
        "Break the contract",
        "Start polling",
        "Ask too often (25 in a row)",
        f"/api/shop/orders/{ids.order}",
        "api.order.new",
    ):
        assert text in html


@pytest.mark.django_db(transaction=True, databases=["default", "shop"])
def test_fire_sends_requests_from_the_terminal(asgi_server, ids, capsys):
    from django.core.management import call_command

    call_command(
        "fire",
        "api",
        "request",
        "--data",
        f'{{"path": "/api/shop/orders/{ids.order}"}}',
        "--count",
        "2",
    )
    call_command("fire", "api", "order")
    out = capsys.readouterr().out
    assert "2 × api request fired" in out and '"status": 201' in out  # the order placed
    assert Message.objects.filter(style="api", hop="response").count() == 3


@pytest.mark.django_db(databases=["default", "shop"], transaction=True)
def test_through_the_real_server_shops_async_api_still_checks_a_browsers_csrf_token(
    asgi_server, shop
):
    # Django's test client takes the synchronous path; the web server runs Shop's API as async
    # views, whose CSRF hooks run on the event loop (playground/asgi_handler.py).
    from patterns.shop.models import Customer, Order

    customer = Customer.objects.using("shop").order_by("id").first().id
    before = Order.objects.using("shop").count()
    with httpx.Client(base_url=asgi_server.url, timeout=10) as browser:
        browser.get("/")
        token = browser.cookies["csrftoken"]
        order = {"customer_id": customer, "total": "9.50"}
        origin = {"Origin": asgi_server.url}
        refused = browser.post("/api/shop/orders", json=order, headers=origin)
        assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"
        assert Order.objects.using("shop").count() == before
        placed = browser.post(
            "/api/shop/orders", json=order, headers={**origin, "X-CSRFToken": token}
        )
        assert placed.status_code == 201, placed.text
    assert Order.objects.using("shop").count() == before + 1
