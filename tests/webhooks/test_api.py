"""The webhooks API through Django's test client (as scripts call it), and the fire command."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from patterns.ledger.models import Message
from patterns.webhooks import shop
from patterns.webhooks.models import Delivery, Endpoint, Event
from playground.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def purge_queue():
    yield
    celery_app.control.purge()  # events fired here have no worker: leave no job behind


def post(client, url, body, **extra):
    return client.post(
        f"/api/webhooks{url}", json.dumps(body), content_type="application/json", **extra
    )


def test_shop_is_subscribed_out_of_the_box_and_its_secret_is_the_one_shop_was_given(client):
    listed = client.get("/api/webhooks/endpoints").json()
    assert [(e["builtin"], e["disabled"], e["event_types"]) for e in listed] == [(True, False, [])]
    # Alone on a laptop the owner holds every key (tests/webhooks/test_worlds.py: served, keyless).
    assert listed[0]["secret"] == shop.state().secret
    assert listed[0]["secret_hint"] == f"whsec_…{shop.state().secret[-4:]}"


def test_a_new_endpoint_gets_its_secret(client):
    answer = post(
        client,
        "/endpoints",
        {
            "url": "http://93.184.215.14/hooks",
            "description": "a public server",
            "event_types": ["payment.completed"],
        },
    )
    assert answer.status_code == 201
    created = answer.json()
    assert created["secret"].startswith("whsec_") and created["event_types"] == [
        "payment.completed"
    ]
    again = client.get(f"/api/webhooks/endpoints/{created['id']}").json()
    assert again["secret"] == created["secret"] and created["secret"].endswith(
        again["secret_hint"][-4:]
    )


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://10.0.0.5/hooks", "private-network"),
        ("http://192.168.1.20:8000/hooks", "private-network"),
        ("http://172.16.3.4/", "private-network"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[fd00::1]/hooks", "private-network"),
        ("http://0.0.0.0:8000/", "unspecified"),
        ("ftp://example.com/hooks", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("http:///no-host", "needs a host"),
        ("http://localhost:8000/api/webhooks/events", "in a loop"),
    ],
)
def test_an_endpoint_url_inside_a_private_network_or_not_http_is_refused(client, url, words):
    answer = post(client, "/endpoints", {"url": url})
    assert answer.status_code == 422
    assert answer.json()["field"] == "url" and words in answer.json()["detail"]
    assert Endpoint.objects.filter(key__isnull=True).count() == 0


def test_on_this_machine_only_shops_receiver_on_the_playgrounds_port_is_accepted(client, settings):
    settings.PLAYGROUND_BASE_URL = "http://127.0.0.1:8000"
    assert (
        post(client, "/endpoints", {"url": "http://localhost:8000/webhooks/receiver/"}).status_code
        == 201
    )
    for url in ("http://127.0.0.1:8080/hooks", "http://localhost:3000/x", "http://[::1]:8000/y"):
        answer = post(client, "/endpoints", {"url": url})
        assert answer.status_code == 422 and "only Shop's receiver" in answer.json()["detail"]


def test_an_operator_may_open_a_network_for_a_classroom(client, settings):
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["192.168.1.0/24"]
    assert post(client, "/endpoints", {"url": "http://192.168.1.20:9000/hooks"}).status_code == 201
    assert post(client, "/endpoints", {"url": "http://192.168.2.20:9000/hooks"}).status_code == 422


def test_an_endpoint_can_be_changed_disabled_re_enabled_rotated_and_deleted(client):
    created = post(client, "/endpoints", {"url": "http://93.184.215.14/a"}).json()
    url = f"/api/webhooks/endpoints/{created['id']}"
    patch = lambda body: client.patch(url, json.dumps(body), content_type="application/json")  # noqa: E731
    assert (
        patch({"disabled": True, "description": "paused"}).json()["disabled_reason"]
        == "disabled by hand"
    )
    assert patch({"disabled": False}).json()["disabled"] is False
    assert patch({"url": "http://10.1.2.3/"}).status_code == 422
    assert patch({"event_types": ["nope"]}).status_code == 422
    rotated = post(client, f"/endpoints/{created['id']}/rotate-secret", {}).json()
    assert rotated["secret"] != created["secret"] and rotated["previous_valid_until"]
    assert client.get(url).json()["rotating_until"]
    assert client.delete(url).status_code == 204 and client.get(url).status_code == 404


def test_the_built_in_endpoint_cannot_be_deleted_or_moved(client):
    shop = client.get("/api/webhooks/endpoints").json()[0]
    assert client.delete(f"/api/webhooks/endpoints/{shop['id']}").status_code == 409
    answer = client.patch(
        f"/api/webhooks/endpoints/{shop['id']}",
        json.dumps({"url": "http://127.0.0.1:1/"}),
        content_type="application/json",
    )
    assert answer.status_code == 409


def test_firing_an_event_returns_its_id_and_deliveries(client):
    answer = post(
        client,
        "/events",
        {
            "type": "payment.completed",
            "data": {"payment_id": "pay_9", "order_id": "ord_9", "amount": 5, "currency": "EUR"},
        },
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["event_id"].startswith("evt_") and [d["endpoint"] for d in body["deliveries"]] == [
        "Shop (built-in endpoint)"
    ]
    listed = client.get(f"/api/webhooks/deliveries?event={body['event_id']}").json()
    assert [d["id"] for d in listed] == [body["deliveries"][0]["id"]]
    event = Message.objects.get(hop="event")
    assert event.valid and event.payload["data"]["amount"] == 5.0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"type": "payment.teleported"}, "type"),
        (
            {
                "type": "payment.completed",
                "data": {
                    "payment_id": "pay_1",
                    "order_id": "ord_1",
                    "amount": -3,
                    "currency": "EUR",
                },
            },
            "data.amount",
        ),
        (
            {
                "type": "payment.completed",
                "data": {"order_id": "ord_1", "amount": 3, "currency": "EUR"},
            },
            "data.payment_id",
        ),
        (
            {
                "type": "user.signed_up",
                "data": {"user_id": "usr_1", "email": "not-an-email", "name": "A"},
            },
            "data.email",
        ),
        (
            {
                "type": "order.shipped",
                "data": {
                    "order_id": "ord_1",
                    "carrier": "DHL",
                    "tracking_number": "X1234",
                    "extra": 1,
                },
            },
            "data.extra",
        ),
        ({"data": {}}, "type"),
    ],
)
def test_an_invalid_event_is_refused_with_the_field_named_and_nothing_is_written(
    client, body, field
):
    answer = post(client, "/events", body)
    assert answer.status_code == 422
    assert answer.json()["field"] == field and field in answer.json()["detail"]
    assert (
        not Event.objects.exists()
        and not Delivery.objects.exists()
        and not Message.objects.exists()
    )


def test_bad_queries_and_modes_get_clear_4xx_json(client):
    assert client.get("/api/webhooks/deliveries?state=lost").status_code == 400
    assert client.get("/api/webhooks/events?limit=0").status_code == 400
    assert client.get("/api/webhooks/endpoints/abc").status_code == 400
    assert client.get("/api/webhooks/deliveries/999").status_code == 404
    answer = client.put(
        "/api/webhooks/receiver", json.dumps({"mode": "asleep"}), content_type="application/json"
    )
    assert answer.status_code == 422 and answer.json()["field"] == "mode"
    assert client.post("/api/webhooks/attacks/steal").status_code == 400
    assert post(client, "/compare/start", {"interval": 5}).status_code == 422


def test_a_browser_post_without_the_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    assert browser.get("/webhooks/").status_code == 200  # it holds the CSRF cookie now
    for path in ("/api/webhooks/events", "/api/webhooks/attacks/forge", "/api/webhooks/endpoints"):
        answer = browser.post(
            path, json.dumps({"type": "payment.completed"}), content_type="application/json"
        )
        assert answer.status_code == 403 and answer.json()["error"] == "csrf_failed"
    token = browser.cookies["csrftoken"].value
    answer = browser.post(
        "/api/webhooks/events",
        json.dumps({"type": "payment.completed"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert answer.status_code == 201 and Event.objects.count() == 1


def test_the_openapi_document_describes_every_webhook_we_send(client):
    document = client.get("/api/openapi.json").json()
    hooks = document["webhooks"]
    assert set(hooks) == {
        "payment.completed",
        "payment.failed",
        "refund.created",
        "user.signed_up",
        "order.shipped",
    }
    operation = hooks["payment.completed"]["post"]
    assert {p["name"] for p in operation["parameters"]} == {
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["data"]["properties"]["amount"]["exclusiveMinimum"] == 0
    assert "$ref" not in json.dumps(schema)
    assert "/api/webhooks/deliveries/{delivery_id}/resend" in document["paths"]


def test_fire_sends_a_webhook_from_the_terminal(capsys):
    call_command("fire", "webhooks", "payment.completed", "--data", '{"amount": 12.5}')
    event = Event.objects.get()
    assert json.loads(event.body)["data"]["amount"] == 12.5 and Delivery.objects.count() == 1
    assert "1 × webhooks payment.completed fired" in capsys.readouterr().out


def test_a_pattern_mismatch_is_explained_with_an_example_not_a_regex(client):
    answer = post(
        client,
        "/events",
        {"type": "user.signed_up", "data": {"user_id": "usr_1", "email": "nope", "name": "A"}},
    )
    assert answer.json()["detail"] == "data.email: 'nope' does not look like 'ada@example.com'"


def test_fire_refuses_data_that_breaks_the_contract():
    with pytest.raises(CommandError, match="data.currency"):
        call_command("fire", "webhooks", "refund.created", "--data", '{"currency": "euro"}')
    assert not Event.objects.exists()


def test_a_deleted_endpoint_is_gone_but_its_deliveries_stay_and_what_waited_is_cancelled(client):
    created = post(client, "/endpoints", {"url": "http://93.184.215.14/hooks"}).json()
    fired = post(
        client, "/events", {"type": "payment.completed"}
    ).json()  # no worker here: it waits
    waiting = [
        d["id"] for d in fired["deliveries"] if d["endpoint"] == "http://93.184.215.14/hooks"
    ]
    assert client.delete(f"/api/webhooks/endpoints/{created['id']}").status_code == 204
    assert client.get(f"/api/webhooks/endpoints/{created['id']}").status_code == 404
    assert created["id"] not in [e["id"] for e in client.get("/api/webhooks/endpoints").json()]
    kept = client.get(f"/api/webhooks/deliveries?endpoint={created['id']}").json()
    assert [(d["id"], d["state"], d["last_error"]) for d in kept] == [
        (waiting[0], "failed", "not sent: its endpoint was deleted")
    ]
    assert client.delete(f"/api/webhooks/endpoints/{created['id']}").status_code == 404
    assert (
        client.post(f"/api/webhooks/deliveries/{waiting[0]}/resend").json()["error"]
        == "endpoint_deleted"
    )
    assert (
        post(client, "/events", {"type": "payment.completed"}).json()["deliveries"][0]["endpoint"]
        == "Shop (built-in endpoint)"
    )
