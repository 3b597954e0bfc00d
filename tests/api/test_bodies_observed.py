"""Each hostile body seen against the running server, one test each: what used to be a 500, an
HTML page or a lost exchange is now a JSON 4xx, and what reached Shop is still in the ledger."""

import json
import socket

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from patterns.files import folders
from patterns.ledger.models import Message
from patterns.webhooks import shop, signing
from patterns.webhooks.models import Processed
from tests.webhooks.helpers import signed

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)
JSON = "application/json"
DEEP = b"[" * 100_000


@pytest.fixture
def client():
    """A client that sees a crash as the answer a caller would get (a 500), not as an exception."""
    return Client(raise_request_exception=False)


def refusal(response, status, error=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith(JSON), response.content[:300]
    body = response.json()
    assert isinstance(body["detail"], str) and (error is None or body["error"] == error), body
    return body


def test_a_deeply_nested_body_to_a_room_guarded_endpoint_is_a_json_400(client):
    refusal(client.post("/api/queue/jobs", DEEP, content_type=JSON), 400, "invalid_json")
    refusal(client.post("/api/queue/jobs?room=ABCDE", DEEP, content_type=JSON), 400, "invalid_json")


def test_an_oversized_json_body_to_a_room_guarded_endpoint_is_a_json_413(client):
    body = json.dumps({"room": "ABCDE", "pad": "x" * 3_000_000}).encode()
    refusal(client.post("/api/queue/jobs", body, content_type=JSON), 413, "too_large")
    for path in ("/api/contracts/check", "/api/rooms"):  # not room-guarded: refused all the same
        refusal(client.post(path, body, content_type=JSON), 413, "too_large")


def test_a_large_body_that_is_not_json_is_a_json_413_and_a_small_one_a_415(client):
    refusal(
        client.post("/api/files/export", b"x" * 3_000_000, content_type="text/plain"),
        413,
        "too_large",
    )
    refusal(
        client.post("/api/files/export", b"x=1", content_type="text/plain"),
        415,
        "unsupported_media_type",
    )
    refusal(
        client.generic("POST", "/api/files/export", b'{"bom": true}'), 415, "unsupported_media_type"
    )


def as_meta(headers):
    return {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}


def _shop_hops(response):
    return list(
        Message.objects.filter(style="api", correlation_id=response["X-Request-Id"]).order_by("id")
    )


@pytest.mark.parametrize(
    "body, says",
    [
        (b'{"customer_id": 7, "total": NaN}', "NaN"),
        (b'{"customer_id": ' + b"7" * 5000 + b', "total": "1.00"}', "digits"),
        (DEEP, "nested"),
    ],
)
def test_shops_api_refuses_a_body_it_cannot_read_and_records_the_exchange(
    client, shop, clean_shop_state, body, says
):
    response = client.post("/api/shop/orders", body, content_type=JSON, HTTP_X_CLIENT_ID="hostile")
    assert says in refusal(response, 400, "invalid_json")["detail"]
    request, answer = _shop_hops(response)
    assert (request.hop, request.valid, request.status) == (
        "request",
        False,
        "error",
    ) and says in request.error
    assert request.payload["raw"] == body[:500].decode()
    assert (answer.hop, answer.status_code, answer.contract, answer.valid) == (
        "response",
        400,
        "api.error",
        True,
    )


def test_the_receiver_refuses_an_unsigned_deep_body_without_a_500(client):
    response = client.post(shop.RECEIVER_PATH, DEEP, content_type=JSON, HTTP_WEBHOOK_ID="evt_deep")
    refusal(response, 401, "invalid_signature")
    assert Message.objects.filter(
        style="webhooks", hop="rejected", correlation_id="evt_deep"
    ).exists()


def test_the_receiver_refuses_a_signed_body_it_cannot_read(client):
    body = b'{"type": "payment.completed", "data": {"amount": NaN}}'
    meta = as_meta(signing.headers("evt_nan", timezone.now(), body.decode(), [shop.state().secret]))
    assert (
        "NaN"
        in refusal(
            client.post(shop.RECEIVER_PATH, body, content_type=JSON, **meta), 400, "bad_body"
        )["detail"]
    )
    assert not Processed.objects.filter(webhook_id="evt_nan").exists()


@pytest.mark.parametrize("length", [65, 1000])
def test_a_webhook_id_too_long_to_store_is_refused_and_the_verdict_recorded(client, length):
    webhook_id = "evt_" + "x" * (length - 4)
    body, headers = signed(webhook_id=webhook_id)
    answer = refusal(
        client.post(shop.RECEIVER_PATH, body, content_type=JSON, **as_meta(headers)),
        400,
        "invalid_webhook_id",
    )
    assert answer["field"] == "webhook-id"
    unsigned = client.post(shop.RECEIVER_PATH, b"{}", content_type=JSON, HTTP_WEBHOOK_ID=webhook_id)
    refusal(unsigned, 401, "invalid_signature")
    assert not Processed.objects.exists()
    verdicts = Message.objects.filter(style="webhooks", hop="rejected")
    assert verdicts.count() == 2 and all(len(row.correlation_id) <= 64 for row in verdicts)


def test_caller_chosen_ids_too_long_to_store_are_refused_or_replaced_never_written(
    client, shop, clean_shop_state
):
    long = "k" * 1000
    order = {"customer_id": 1, "total": "1.00"}
    keyed = client.post("/api/shop/orders", order, content_type=JSON, HTTP_IDEMPOTENCY_KEY=long)
    assert refusal(keyed, 400)["field"] == "Idempotency-Key"
    traced = client.get("/api/shop/orders", HTTP_X_REQUEST_ID=long, HTTP_X_CLIENT_ID=long)
    assert traced.status_code == 200 and traced["X-Request-Id"] != long  # a fresh id instead
    refusal(
        client.post("/api/queue/jobs", {"kind": "noop"}, content_type=JSON, HTTP_X_ROOM=long),
        404,
        "unknown_room",
    )
    assert all(len(row.correlation_id) <= 64 for row in Message.objects.all())


def test_multipart_without_a_boundary_is_a_json_400(client):
    response = client.generic(
        "POST",
        "/api/files/upload",
        b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\n",
        content_type="multipart/form-data",
    )
    refusal(response, 400, "bad_multipart")


def multipart(name, data):
    """A form with one file, its name as sent (a client-side file object would shorten it)."""
    head = f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
    return head.encode() + data + b"\r\n--b--\r\n"


# An extension over 255 bytes broke the temporary file of a large upload (a 500); a part's headers
# over 1,024 bytes Django's parser refuses.
@pytest.mark.parametrize("length, error", [(600, "bad_file_name"), (1200, "bad_multipart")])
def test_an_upload_with_a_file_name_too_long_for_any_disk_is_a_json_400(client, length, error):
    data = (
        b"id,total\r\n" + b"1,1.00\r\n" * 400_000
    )  # over 2.5 MB: Django spools it to a temporary file
    response = client.generic(
        "POST",
        "/api/files/upload",
        multipart("a." + "x" * length, data),
        content_type="multipart/form-data; boundary=b",
    )
    refusal(response, 400, error)
    assert list(folders.folder("inbox").iterdir()) == []


def test_an_oversized_upload_is_refused_at_the_door_of_the_real_server(asgi_server):
    """Over HTTP: the refusal comes from the Content-Length, before Django reads the body."""
    response = httpx.post(
        asgi_server.url + "/api/files/upload",
        content=b"x" * 20_000_000,
        timeout=60,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413, (
        response.text[:300] and response.json()["error"] == "too_large"
    )
    assert list(folders.folder("inbox").iterdir()) == []


def test_an_upload_within_the_limit_is_taken_by_the_real_server(asgi_server):
    data = b"order_id,customer_id,customer_name,total,currency,status,created_at,updated_at\r\n"
    response = httpx.post(
        asgi_server.url + "/api/files/upload",
        content=multipart("mine.csv", data),
        timeout=30,
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 200 and response.json()["file"] == "mine.csv", response.text[
        :300
    ]


def test_a_chunked_body_is_refused_with_411_by_the_real_server(asgi_server):
    with socket.create_connection(("127.0.0.1", asgi_server.port), timeout=10) as conn:
        conn.sendall(
            b"POST /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
        )
        head = conn.recv(65536).decode("latin-1")
    assert head.startswith("HTTP/1.1 411") and "application/json" in head


def test_a_value_the_database_cannot_compare_is_a_400_not_a_500(client):
    response = client.get("/api/webhooks/events?type=a%00b")  # PostgreSQL refuses NUL in text
    assert response.status_code in (200, 400) and response["Content-Type"].startswith(JSON), (
        response.content[:200]
    )


def test_an_unexpected_error_under_the_api_is_a_json_500_without_a_traceback(
    client, settings, monkeypatch
):
    settings.DEBUG = True  # where ninja would show the traceback

    def broken(*args, **kwargs):
        raise RuntimeError("a secret detail")

    monkeypatch.setattr("patterns.ledger.query.last_id", broken)
    response = client.get("/api/stats")
    assert refusal(response, 500, "internal_error")
    assert b"secret" not in response.content and b"Traceback" not in response.content
