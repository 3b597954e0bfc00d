import re

import pytest
from django.contrib.staticfiles import finders

from patterns.ledger.models import Message
from tests.helpers import record_pings

pytestmark = pytest.mark.django_db


def test_messages_come_in_ascending_id_order_with_a_cursor_for_the_next_page(client):
    ids = record_pings(25)
    seen, after = [], None
    while True:
        params = {"limit": 10} | ({"after": after} if after is not None else {})
        body = client.get("/api/messages", params).json()
        seen += [m["id"] for m in body["messages"]]
        after = body["next_after"]
        if not body["has_more"]:
            break
    assert seen == ids
    assert after is None


def test_after_returns_exactly_the_later_messages(client):
    ids = record_pings(10)
    body = client.get("/api/messages", {"after": ids[4]}).json()
    assert [m["id"] for m in body["messages"]] == ids[5:]


def test_messages_can_be_filtered(client):
    record_pings(3)
    wanted = record_pings(2, status="error", kind="payment.failed")
    by_status = client.get("/api/messages", {"status": "error"}).json()["messages"]
    by_kind = client.get("/api/messages", {"kind": "payment.failed", "style": "ping"}).json()[
        "messages"
    ]
    assert [m["id"] for m in by_status] == wanted == [m["id"] for m in by_kind]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"colour": "red"}, "colour"),
        ({"after": "yesterday"}, "after"),
        ({"after": "-1"}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "5000"}, "limit"),
        ({"status": "great"}, "status"),
        ({"kind": "x" * 65}, "kind"),
    ],
)
def test_bad_filters_get_a_clear_400_json_error(client, params, field):
    response = client.get("/api/messages", params)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_filter"
    assert response.json()["field"] == field
    assert field in response.json()["detail"]


def test_one_message_comes_with_every_hop_of_its_exchange(client):
    record_pings(2, correlation_id="order-42")
    record_pings(1)
    first = Message.objects.filter(correlation_id="order-42").first()
    body = client.get(f"/api/messages/{first.id}").json()
    assert body["message"]["id"] == first.id
    assert [m["correlation_id"] for m in body["exchange"]] == ["order-42", "order-42"]


def test_an_unknown_message_is_a_404_json_error(client):
    response = client.get("/api/messages/999999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_stats_count_messages_per_style(client):
    record_pings(3)
    assert client.get("/api/stats").json() == {
        "total": 3,
        "last_id": Message.objects.last().id,
        "by_style": {"ping": 3},
    }


def test_a_ping_with_a_body_that_breaks_its_contract_is_refused_and_records_nothing(client):
    response = client.post("/api/ping", {"note": "x" * 200}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "note"
    not_json = client.post("/api/ping", "{not json", content_type="application/json")
    assert not_json.status_code == 400 and not_json.json()["error"] == "invalid_json"
    assert Message.objects.count() == 0


def test_the_openapi_document_describes_the_ledger(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/messages", "/api/messages/{message_id}", "/api/ping", "/api/stats"} <= set(
        doc["paths"]
    )
    params = {p["name"] for p in doc["paths"]["/api/messages"]["get"]["parameters"]}
    assert {"style", "kind", "status", "correlation_id", "after", "limit"} <= params


def test_the_api_docs_load_their_assets_locally(client):
    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert all(finders.find(s.removeprefix("/static/")) for s in sources)
