"""A person's view of a Redis outage: the open message log says at once what is down, other pages
still load, and when Redis is back the log catches up by itself with what was fired meanwhile."""

import os

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])


@pytest.fixture(autouse=True)
def async_unsafe_allowed():
    """Sync Playwright holds an event loop in this thread, also while the database is flushed
    after the test: Django's async-safety check stands aside, as conftest's browser_server does."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def fire_event(web, held=False):
    """Fire an event; while Redis is away it is accepted (202) and waits in the outbox."""
    response = httpx.post(
        f"{web.url}/api/webhooks/events", json={"type": "payment.completed"}, timeout=30
    )
    assert response.status_code == (202 if held else 201), response.text
    assert bool(response.json().get("held_in_outbox")) == held


def test_an_open_page_shows_the_outage_and_catches_up_when_redis_is_back(
    stack, page, context, screenshot
):
    a, b = stack.webs
    stack.wait_healthy()
    page.goto(f"{b.url}/messages/")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    expect(page.locator("[data-health-badge]")).to_have_text("✓ all parts up", timeout=15000)
    fire_event(a)
    events = page.locator("tbody tr[data-message-id]", has_text="→ outbox")
    expect(events).to_have_count(1, timeout=15000)

    stack.redis.stop()
    fire_event(a, held=True)
    fire_event(b, held=True)
    strip = page.locator("[data-health-strip]")
    expect(strip).to_contain_text("Redis down for", timeout=30000)  # the strip polls every 10 s
    expect(strip).to_contain_text("Workers down for")
    expect(page.locator("[data-health-badge]")).to_have_text("✕ 5 parts down")
    screenshot("redis-down")

    other = (
        context.new_page()
    )  # a page opened during the outage still loads, and says why it is stuck
    other.goto(f"{a.url}/webhooks/")
    expect(other.locator("h1")).to_be_visible()
    expect(other.locator("[data-health-strip]")).to_contain_text("Redis down for", timeout=15000)
    screenshot("page-opened-during-outage", of=other)

    stack.redis.start()
    expect(events).to_have_count(
        3, timeout=45000
    )  # fired while Redis was down, shown without a reload
    expect(page.locator("[data-feed-state]")).to_have_text("Live", timeout=30000)
    expect(strip).to_be_hidden(timeout=60000)
    expect(page.locator("tbody tr[data-message-id]", has_text="processed")).to_have_count(
        3, timeout=30000
    )
    screenshot("recovered")
