"""Fixtures for the request/response style: a clean slate of Shop's switches, buckets and poller."""

import pytest


@pytest.fixture(autouse=True)
def _clean(clean_shop_state):
    """Each test starts with Shop healthy, every client's bucket full and the poller stopped."""


@pytest.fixture
def generous_limit(settings):
    """A rate limit no test of paging hits (the limiter still runs)."""
    settings.SHOP_API_RATE_LIMIT = "10000/1s"


@pytest.fixture
def slow_refill(settings):
    """Shop's burst of 20 with a refill too slow to matter during a test (one token per 30 s), so a
    burst's answers do not depend on how fast a loaded machine sends it."""
    settings.SHOP_API_RATE_LIMIT = "20/600s"


@pytest.fixture
def ids(shop, django_db_blocker):
    """Ids that exist in Shop now (a re-seeded Shop does not reuse ids, so tests never hard-code them)."""
    from types import SimpleNamespace

    from patterns.shop import store

    with django_db_blocker.unblock():
        orders, customers = store.list_orders(limit=400), store.list_customers(limit=100)
    return SimpleNamespace(
        order=orders[41]["id"],
        customer=customers[6]["id"],
        delivered=next(o["id"] for o in orders if o["status"] == "delivered"),
    )
