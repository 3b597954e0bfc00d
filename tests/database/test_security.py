"""The browser is never trusted: CSRF on browser POSTs, the live feed checks its origin, and
what the database returns reaches the page as text (see tests/browser/test_database_page.py)."""

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from patterns.ledger.models import Message
from patterns.shop import schema
from tests.helpers import FeedClient

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


def test_a_foreign_page_cannot_make_a_browser_ship_a_schema_change(asgi_server, shop):
    response = httpx.post(
        f"{asgi_server.url}/api/database/schema",
        json={"change": "rename_column"},
        headers={"Origin": "https://evil.example", "Cookie": "csrftoken=abc"},
        timeout=10,
    )
    assert response.status_code == 403 and response.json()["error"] == "csrf_failed"
    assert schema.applied() == frozenset() and not Message.objects.filter(style="database").exists()


def test_a_browser_post_without_the_token_is_refused_even_from_the_same_origin(asgi_server, shop):
    response = httpx.post(
        f"{asgi_server.url}/api/database/query",
        json={"sql": "SELECT 1"},
        headers={"Origin": asgi_server.origin},
        timeout=10,
    )
    assert response.status_code == 403
    assert not Message.objects.filter(style="database").exists()


def test_the_page_sends_its_csrf_token_and_the_post_goes_through(asgi_server, shop):
    with httpx.Client(base_url=asgi_server.url, timeout=10) as browser:
        page = browser.get("/database/")
        token = page.text.split('name="csrf-token" content="')[1].split('"')[0]
        response = browser.post(
            "/api/database/query",
            json={"sql": "SELECT 1 AS one"},
            headers={"Origin": asgi_server.origin, "X-CSRFToken": token},
        )
    assert response.status_code == 200 and response.json()["rows"] == [[1]]


def test_the_live_feed_refuses_a_foreign_origin(asgi_server):
    with pytest.raises(InvalidStatus):
        with FeedClient(asgi_server, query="style=database", origin="https://evil.example") as feed:
            feed.wait_ready()


def test_the_live_feed_brings_this_styles_messages_to_the_page(asgi_server, shop):
    with FeedClient(asgi_server, query="style=database") as feed:
        feed.wait_ready()
        httpx.get(f"{asgi_server.url}/api/database/dashboard", params={"via": "direct"}, timeout=30)
        got = feed.collect(3, timeout=30)
    assert {m["payload"]["panel"] for m in got} == {
        "revenue_today",
        "orders_by_status",
        "top_customers",
    }
