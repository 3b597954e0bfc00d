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
