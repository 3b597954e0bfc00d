"""The room guard on every trigger endpoint of every style: in a room, only the key fires
(unless students may), a refusal is a 403 in the error shape, and nothing is fired."""

from urllib.parse import quote

import pytest

from patterns.ledger.models import Message

pytestmark = pytest.mark.django_db

# One trigger of each style on main (and the home page's ping): method, path, body.
TRIGGERS = [
    ("post", "/api/ping", {"note": "hi"}),
    ("post", "/api/queue/jobs", {"kind": "email", "count": 1}),
    ("post", "/api/webhooks/events", {"type": "payment.completed"}),
    ("post", "/api/database/query", {"sql": "SELECT 1"}),
    ("post", "/api/api/orders", {}),
    ("post", "/api/shop/orders", {"customer_id": 1, "items": [{"sku": "X", "quantity": 1}]}),
    ("put", "/api/webhooks/receiver", {"mode": "down"}),
    ("post", "/api/queue/workers", {"action": "pause"}),
]


@pytest.mark.parametrize("method,path,body", TRIGGERS, ids=[t[1] for t in TRIGGERS])
@pytest.mark.parametrize("where", ["query", "body", "header"])
def test_a_trigger_in_a_room_without_the_key_is_refused_and_fires_nothing(
    client, room, method, path, body, where
):
    code, _ = room
    before = Message.objects.count()
    kwargs = {"content_type": "application/json"}
    if where == "query":
        path = f"{path}?room={code}"
    elif where == "body":
        body = {**body, "room": code}
    else:
        kwargs["HTTP_X_ROOM"] = code
    response = getattr(client, method)(path, body, **kwargs)
    assert response.status_code == 403, response.content
    assert (
        response.json()["error"] == "room_key_required" and response.json()["field"] == "X-Room-Key"
    )
    assert Message.objects.count() == before


@pytest.mark.parametrize("method,path,body", TRIGGERS[:1], ids=["ping"])
def test_a_wrong_key_is_refused_too(client, room, method, path, body):
    code, key = room
    response = client.post(
        f"{path}?room={code}", body, content_type="application/json", HTTP_X_ROOM_KEY=key[:-1] + "x"
    )
    assert response.status_code == 403 and Message.objects.count() == 0


def test_an_unknown_room_is_a_404_and_fires_nothing(client):
    response = client.post("/api/ping?room=ZZZZZ", {}, content_type="application/json")
    assert response.status_code == 404 and response.json() == {
        "error": "unknown_room",
        "detail": "there is no room 'ZZZZZ'; check the code",
        "field": "room",
    }
    assert Message.objects.count() == 0


@pytest.mark.parametrize("code", ["A\x00B", "ÅÈ", "A B", "X" * 17])
def test_a_code_no_room_could_have_is_a_404_too_on_every_database(client, code):
    # A fuzzer's ?room= with a NUL in it was a 500 on PostgreSQL (it refuses NUL in text).
    for response in (
        client.post(
            "/api/ping", {}, content_type="application/json", QUERY_STRING=f"room={quote(code)}"
        ),
        client.get(f"/api/rooms/{quote(code)}"),
        client.get(f"/r/{quote(code)}"),
        client.get(f"/rooms/{quote(code)}/qr.svg"),
    ):
        assert response.status_code == 404, response.content
    assert Message.objects.count() == 0


def test_a_nul_in_a_log_filter_is_a_clear_400(client):
    response = client.get("/api/messages?kind=a%00b")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_checking_a_contract_is_not_firing(client, room):
    code, _ = room
    response = client.post(
        "/api/contracts/check",
        {"contract": "ping.request", "payload": {}},
        content_type="application/json",
        HTTP_X_ROOM=code,
    )
    assert response.status_code != 403


def test_reading_a_rooms_log_needs_no_key(client, room):
    code, _ = room
    assert client.get(f"/api/messages?room={code}").status_code == 200
