"""Reporting's two dashboards, through a real daphne: straight from Shop's tables, and through
Shop's API over real HTTP. Equal until Shop ships a change; then only the direct one breaks."""

import httpx
import pytest

from patterns.ledger.models import Message
from patterns.shop import schema

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)
# Which panels each change breaks, and a word the database's own error must contain.
BREAKS = {
    "rename_column": ({"revenue_today", "top_customers"}, "total"),
    "change_type": ({"orders_by_status"}, "status"),
    "split_table": ({"top_customers"}, "city"),
    "add_not_null": ({"orders_by_status"}, "ambiguous"),
}


def dashboard(server, via):
    response = httpx.get(f"{server.url}/api/database/dashboard", params={"via": via}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def values(board):
    return {name: panel["value"] for name, panel in board["panels"].items()}


def ship(server, change):
    response = httpx.post(f"{server.url}/api/database/schema", json={"change": change}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_direct_dashboard_equals_the_api_dashboard_before_any_change(asgi_server, shop):
    direct, api = dashboard(asgi_server, "direct"), dashboard(asgi_server, "api")
    assert direct["ok"] and api["ok"]
    assert values(direct) == values(api)
    assert sum(s["orders"] for s in direct["panels"]["orders_by_status"]["value"]) == 400
    assert (
        direct["panels"]["revenue_today"]["value"]["orders"] > 0
        and len(direct["panels"]["top_customers"]["value"]) == 5
    )


@pytest.mark.parametrize("change", list(BREAKS))
def test_after_a_schema_change_the_direct_query_fails_with_the_databases_error_and_the_api_still_answers(
    asgi_server, shop, change
):
    before = values(dashboard(asgi_server, "api"))
    assert ship(asgi_server, change)["ran"] is True
    direct, api = dashboard(asgi_server, "direct"), dashboard(asgi_server, "api")
    broken, word = BREAKS[change]
    assert {name for name, panel in direct["panels"].items() if not panel["ok"]} == broken
    assert all(word in direct["panels"][name]["error"] for name in broken)
    assert api["ok"] and values(api) == before
    # The ledger holds the failed queries with the database's own words.
    failed = Message.objects.filter(
        kind="report.query", status="error", correlation_id=direct["correlation_id"]
    )
    assert {m.payload["panel"] for m in failed} == broken and all(word in m.error for m in failed)


def test_restore_brings_both_dashboards_back(asgi_server, shop):
    before = values(dashboard(asgi_server, "direct"))
    for change in BREAKS:
        ship(asgi_server, change)
    assert not dashboard(asgi_server, "direct")["ok"]
    restored = ship(asgi_server, "restore")
    assert restored["applied"] == [] and restored["ran"] is True
    direct, api = dashboard(asgi_server, "direct"), dashboard(asgi_server, "api")
    assert direct["ok"] and api["ok"] and values(direct) == values(api) == before


def test_every_query_and_every_api_call_is_one_ledger_message(asgi_server, shop):
    for _ in range(3):
        dashboard(asgi_server, "direct")
    ship(asgi_server, "rename_column")
    dashboard(asgi_server, "direct")
    api = dashboard(asgi_server, "api")
    queries = Message.objects.filter(style="database", kind="report.query")
    assert queries.count() == 4 * 3 and queries.filter(status="error").count() == 2
    assert all(m.valid and m.duration_ms is not None for m in queries)
    calls = Message.objects.filter(kind="report.api_call", correlation_id=api["correlation_id"])
    assert calls.count() == len(api["calls"]) >= 2 and {m.status_code for m in calls} == {200}


def test_a_dashboard_retried_with_the_same_request_id_is_recorded_once(asgi_server, shop):
    for _ in range(2):
        httpx.get(
            f"{asgi_server.url}/api/database/dashboard",
            params={"via": "direct", "request_id": "r1"},
            timeout=30,
        )
    assert Message.objects.filter(kind="report.query").count() == 3


def test_the_api_never_hands_out_private_columns_whatever_the_schema(asgi_server, shop):
    ship(asgi_server, "split_table")
    page = httpx.get(
        f"{asgi_server.url}/api/shop/customers", params={"limit": 2}, timeout=10
    ).json()
    assert set(page["items"][0]) == {"id", "name", "customer_since", "city", "country"}
    assert page["next_after"] == page["items"][1]["id"]


def test_an_unknown_via_or_change_is_a_clear_4xx_and_changes_nothing(asgi_server, shop):
    response = httpx.get(
        f"{asgi_server.url}/api/database/dashboard", params={"via": "backdoor"}, timeout=10
    )
    assert response.status_code == 400 and response.json()["field"] == "via"
    response = httpx.post(
        f"{asgi_server.url}/api/database/schema", json={"change": "drop_everything"}, timeout=10
    )
    assert response.status_code == 422 and response.json()["field"] == "change"
    assert schema.applied() == frozenset() and not Message.objects.filter(style="database").exists()


def test_the_schema_endpoint_describes_shops_tables_as_they_are_now(asgi_server, shop):
    assert (
        "total"
        in httpx.get(f"{asgi_server.url}/api/database/schema", timeout=10).json()["tables"][
            "shop_order"
        ]
    )
    state = ship(asgi_server, "rename_column")
    assert "amount_cents" in state["tables"]["shop_order"] and state["applied"] == ["rename_column"]
    again = ship(asgi_server, "rename_column")
    assert again["ran"] is False
    changes = Message.objects.filter(kind="schema.change").order_by("id")
    assert [m.payload["ran"] for m in changes] == [True, False]


def test_a_long_request_id_still_makes_uids_the_ledger_accepts_and_a_bad_one_is_refused(
    asgi_server, shop
):
    long_id = "x" * 64
    response = httpx.get(
        f"{asgi_server.url}/api/database/dashboard",
        params={"via": "api", "request_id": long_id},
        timeout=30,
    )
    assert response.status_code == 200 and all(len(m.uid) <= 64 for m in Message.objects.all())
    response = httpx.get(
        f"{asgi_server.url}/api/database/dashboard", params={"request_id": "x" * 65}, timeout=30
    )
    assert response.status_code == 400 and response.json()["field"] == "request_id"
