"""The OpenAPI document as served: JSON that every reader accepts, with no key twice in any object
(Swagger UI at /api/docs refused a document whose responses held "404" twice, and showed nothing)."""

import json

import pytest


def _no_duplicates(pairs):
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"keys repeated in one object: {repeated} (keys: {keys})"
    return dict(pairs)


@pytest.mark.django_db
def test_the_served_openapi_document_repeats_no_key_in_any_object(client):
    document = json.loads(client.get("/api/openapi.json").content, object_pairs_hook=_no_duplicates)
    operations = [
        op for item in document["paths"].values() for op in item.values() if isinstance(op, dict)
    ]
    assert operations and all(
        isinstance(code, str) for op in operations for code in op.get("responses", {})
    )


@pytest.mark.django_db
def test_a_documented_404_keeps_its_own_description_beside_the_room_guards_403(client):
    document = client.get("/api/openapi.json").json()
    responses = document["paths"]["/api/webhooks/endpoints/{endpoint_id}/rotate-secret"]["post"][
        "responses"
    ]
    assert {"200", "403", "404"} <= set(responses)
    assert "room" in responses["403"]["description"]
    assert (
        responses["404"]["description"] != "Not found (e.g. an unknown room)"
    )  # ninja's own stayed


@pytest.mark.django_db
def test_every_operation_that_takes_a_room_documents_the_guards_refusals(client):
    """The guard answers any of them 404 (an unknown room) or 429 (too many unknown codes from one
    client), and a change 403 too: a fuzzer trying random room codes meets them all."""
    document = client.get("/api/openapi.json").json()
    missing = {}
    for path, item in document["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and any(
                p.get("name") == "room" for p in op.get("parameters", [])
            ):
                refusals = {"404", "429"} | ({"403"} if method != "get" else set())
                missing[f"{method.upper()} {path}"] = refusals - set(op["responses"])
    assert len(missing) > 40 and "GET /api/messages" in missing
    assert {op: codes for op, codes in missing.items() if codes} == {}
