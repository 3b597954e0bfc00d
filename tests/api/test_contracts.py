"""Contracts: one schema per message kind, versions, the ledger's validity flag, breaking a
contract on purpose, the versioning demo, and the OpenAPI / AsyncAPI documents validated against
their specifications."""

import json
from pathlib import Path

import jsonschema
import pydantic
import pytest
from openapi_spec_validator import validate as validate_openapi

from patterns.contracts import registry
from patterns.contracts.breaking import malform
from patterns.contracts.documents import asyncapi
from patterns.ledger.models import Message
from patterns.ledger.recorder import record

ASYNCAPI_SCHEMA = json.loads(
    (Path(__file__).parent / "specs" / "asyncapi-3.0.0.schema.json").read_text()
)


class PaymentCompleted(pydantic.BaseModel):
    """A payment went through (a stand-in webhook event for these tests)."""

    payment_id: str
    amount_cents: int = pydantic.Field(gt=0)


class EmailJob(pydantic.BaseModel):
    """Send one email (a stand-in queue job)."""

    to: str
    template: str


@pytest.fixture
def extra_contracts():
    """A webhook event and a queue job registered for one test, as other styles register theirs."""
    registry.register(
        "webhooks.test.payment",
        PaymentCompleted,
        examples=[{"payment_id": "p_1", "amount_cents": 1990}],
        address="payment.completed",
    )
    registry.register(
        "queue.test.email",
        EmailJob,
        examples=[{"to": "a@example.com", "template": "welcome"}],
        address="emails",
    )
    yield
    registry.unregister("webhooks.test.payment")
    registry.unregister("queue.test.email")


def every_contract():
    return [c for c in registry.all_contracts()]


def test_every_contract_has_a_version_a_description_and_examples_that_meet_it():
    assert len(every_contract()) >= 10
    for contract in every_contract():
        assert contract.version and contract.description, contract.name
        assert contract.examples, f"{contract.name} has no example"
        for example in contract.examples:
            assert registry.check(contract.name, example) == (True, None), contract.name
        assert contract.channel in registry.CHANNELS, contract.name


@pytest.mark.django_db
@pytest.mark.parametrize("name", [c.name for c in registry.all_contracts()])
def test_the_ledger_flags_a_valid_message_valid_and_a_broken_one_broken_naming_the_field(name):
    contract = registry.get(name)
    good = record(
        style="ping",
        kind="contract-test",
        hop="sent",
        source="a",
        target="b",
        contract=name,
        payload=contract.examples[0],
    )
    broken = malform(name)
    bad = record(
        style="ping",
        kind="contract-test",
        hop="sent",
        source="a",
        target="b",
        contract=name,
        payload=broken.payload,
    )
    assert good.valid is True and good.error == ""
    assert (
        bad.valid is False
        and broken.field in bad.error
        and bad.error.startswith(f"contract {name}:")
    )


def test_a_contract_keeps_every_version_and_a_claim_can_name_one():
    assert [c.version for c in registry.versions("shop.order.placed")] == ["1", "1.1", "2"]
    assert registry.get("shop.order.placed").version == "2"
    assert registry.get("shop.order.placed@1").version == "1"
    v1_event = {"order_id": 1, "customer_id": 2, "total": "3.00"}
    assert registry.check("shop.order.placed@1", v1_event) == (True, None)
    valid, problem = registry.check("shop.order.placed", v1_event)
    assert valid is False and problem.startswith("amount")
    assert registry.check("no.such.contract", {}) == (
        False,
        "no contract called 'no.such.contract'",
    )


def test_breaking_a_contract_changes_one_field_of_its_example():
    broken = malform("api.order.new")
    example = registry.get("api.order.new").examples[0]
    assert set(broken.payload) <= set(example) | {broken.field}
    assert [k for k in example if broken.payload.get(k) != example[k]] == [broken.field]
    assert broken.what.startswith(broken.field)


def test_the_versioning_demo_shows_who_keeps_working():
    from patterns.contracts.versioning import demo

    added, renamed, original = demo("add_field"), demo("rename_field"), demo("original")
    assert added["broken"] == ["Fraud check"]  # only the strict reader refuses a new field
    assert renamed["broken"] == ["Accounting", "Fraud check"]  # everyone reading `total`
    assert original["broken"] == [] and original["schema_changes"] == []
    assert {"change": "looks like a rename: total → amount", "verdict": "breaking"} in renamed[
        "schema_changes"
    ]
    accounting = next(r for r in renamed["consumers"] if r["consumer"] == "Accounting")
    assert accounting["what"].startswith("total:")


@pytest.mark.django_db
def test_the_openapi_document_is_valid_openapi_3_1_with_the_webhooks_we_send(
    client, extra_contracts
):
    document = client.get("/api/openapi.json").json()
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"
    hook = document["webhooks"]["payment.completed"]["post"]
    ref = hook["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert document["components"]["schemas"][ref.rsplit("/", 1)[1]]["required"] == [
        "payment_id",
        "amount_cents",
    ]
    shop = document["paths"]["/api/shop/orders"]
    assert set(shop) == {"get", "post"}
    assert {"201", "422", "429", "500", "503"} <= set(shop["post"]["responses"])
    body = shop["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/NewOrder")  # the very model the contract api.order.new is


def test_without_webhook_contracts_the_openapi_document_has_no_empty_webhooks_section(client, db):
    document = client.get("/api/openapi.json").json()
    validate_openapi(document)
    assert "webhooks" not in document or document["webhooks"]


@pytest.mark.django_db
def test_the_asyncapi_document_is_valid_asyncapi_3_with_every_queue_and_stream_channel(
    client, extra_contracts
):
    document = client.get("/api/contracts/asyncapi.json").json()
    jsonschema.Draft7Validator(ASYNCAPI_SCHEMA).validate(document)
    assert document["asyncapi"] == "3.0.0"
    assert document["channels"]["emails"]["address"] == "emails"
    assert document["channels"]["ws_feed"]["address"] == "/ws/feed/"
    assert {
        "send.queue.test.email.v1",
        "receive.feed.resume.v1",
        "send.shop.order.placed.v2",
    } <= set(document["operations"])
    # Every version of a versioned event is on its channel (a migration carries both).
    assert {"shop.order.placed.v1", "shop.order.placed.v1.1", "shop.order.placed.v2"} <= set(
        document["channels"]["shop.events"]["messages"]
    )
    payload = document["components"]["messages"]["queue.test.email.v1"]["payload"]["$ref"]
    assert document["components"]["schemas"][payload.rsplit("/", 1)[1]]["required"] == [
        "to",
        "template",
    ]


def test_a_broken_asyncapi_document_is_caught_by_the_validator():
    document = asyncapi()
    document["channels"]["ws_feed"]["address"] = 42
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(ASYNCAPI_SCHEMA).validate(json.loads(json.dumps(document)))


@pytest.mark.django_db
def test_the_contracts_api_lists_reads_checks_and_runs_the_versioning_demo(client):
    listed = client.get("/api/contracts").json()
    assert {c["name"] for c in listed} >= {"api.order.new", "feed.messages", "shop.order.placed"}
    [one] = client.get("/api/contracts/api.order.new").json()
    assert one["fields"][0]["name"] == "customer_id" and one["fields"][0]["required"] is True
    assert client.get("/api/contracts/nope").status_code == 404

    def check(payload):
        return client.post(
            "/api/contracts/check",
            {"contract": "api.order.new", "payload": payload},
            content_type="application/json",
        ).json()

    assert check({"customer_id": 1, "total": "2.50"}) == {
        "contract": "api.order.new",
        "valid": True,
        "problem": None,
    }
    assert check({"customer_id": 1, "total": "free"})["problem"].startswith("total:")
    demo = client.post(
        "/api/contracts/versioning", {"change": "rename_field"}, content_type="application/json"
    ).json()
    assert demo["broken"] == ["Accounting", "Fraud check"]
    bad = client.post(
        "/api/contracts/versioning",
        {"change": "delete_everything"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "change"
    assert Message.objects.count() == 0  # checking and the demo record nothing


@pytest.mark.django_db
def test_the_contracts_page_shows_every_contract_with_its_wire_counts_and_escapes_what_it_shows(
    client,
):
    record(
        style="api",
        kind="orders.create",
        hop="request",
        source="client",
        target="shop",
        contract="api.order.new",
        payload={"customer_id": "<script>alert(1)</script>", "total": 1},
    )
    html = client.get("/contracts/").content.decode()
    for contract in registry.all_contracts():
        assert f'id="{contract.name}"' in html
    assert "✕ 1 broke it" in html and "<script>alert(1)" not in html
    assert 'href="/api/openapi.json"' in html and 'href="/api/contracts/asyncapi.json"' in html
