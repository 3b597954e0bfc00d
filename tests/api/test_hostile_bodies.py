"""Every write operation in /api/openapi.json, sent hostile bodies: malformed, 10,000 levels deep,
NaN, a 5,000-digit integer, 6 MB, not JSON, no content type, and each field of its schema with
the wrong type. Not one 5xx; every answer JSON, and every refusal in the API's error shape (a
2xx for a body that happens to be acceptable is fine). Through Django's real request handling
(the test client), so the whole suite runs in seconds."""

import json
import uuid
from urllib.parse import urlencode

import pytest
from django.test import Client

# Transactional: Shop's API commits its hops on a thread of its own (patterns.ledger.groupcommit).
pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)

WRITES = ("post", "put", "patch", "delete")
JSON = "application/json"
SIX_MB = json.dumps({"items": ["x" * 1000] * 6000}).encode()
HOSTILE = {
    "malformed JSON": (b'{"a": [1, 2', JSON),
    "nested 10,000 deep": (b"[" * 10_000 + b"]" * 10_000, JSON),
    "nested objects 10,000 deep": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, JSON),
    "NaN": (b'{"a": NaN, "b": Infinity}', JSON),
    "a 5,000-digit integer": (b'{"a": ' + b"7" * 5000 + b"}", JSON),
    "a number too large for a float": (b'{"a": 1e400}', JSON),
    "a lone surrogate": (b'{"a": "\\ud800"}', JSON),
    "not UTF-8": (b'{"a": "\xff"}', JSON),
    "6 MB of JSON": (SIX_MB, JSON),
    "6 MB of text": (b"x" * 6_000_000, "text/plain"),
    "not JSON": (b"a=1&b=2", "application/x-www-form-urlencoded"),
    "no content type": (b'{"a": 1}', None),
    "multipart without a boundary": (b"--x\r\n", "multipart/form-data"),
}
WRONG = {
    "string": 12345,
    "integer": "twelve",
    "number": "twelve",
    "boolean": "maybe",
    "array": {"a": 1},
    "object": [1],
}


@pytest.fixture
def client():
    """A client that sees a crash as the answer a caller would get (a 500), not as an exception."""
    return Client(raise_request_exception=False)


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/openapi.json").json()


def resolve(schema, node):
    """A schema node with its $ref followed (#/components/schemas/Name)."""
    while isinstance(node, dict) and "$ref" in node:
        target = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(schema):
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in WRITES:
                found.append((method, _fill(path, operation), operation))
    return found


def _fill(path, operation):
    """The path with each parameter given a value of its type (a 404 is a fine answer)."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path":
            spec = parameter.get("schema", {})
            value = spec.get("enum", [None])[0] or ("1" if spec.get("type") == "integer" else "x")
            path = path.replace("{" + parameter["name"] + "}", str(value))
    return path


def odd_bodies(schema, operation):
    """Per field of the JSON request schema: a value of the wrong type, a text with a NUL (which
    PostgreSQL cannot store) and a text of 100,000 characters (longer than any column)."""
    content = operation.get("requestBody", {}).get("content", {})
    body_schema = resolve(schema, content.get(JSON, {}).get("schema", {}))
    for name, spec in resolve(schema, body_schema).get("properties", {}).items():
        kind = resolve(schema, spec).get("type") or "string"
        yield f"{name} of the wrong type", json.dumps({name: WRONG.get(kind, [[]])}).encode()
        yield f"{name} with a NUL", json.dumps({name: "x\x00y"}).encode()
        yield f"{name} 100,000 characters long", json.dumps({name: "x" * 100_000}).encode()
    yield "a list instead of an object", b"[1, 2, 3]"
    yield "a NUL in an unknown field", b'{"unknown": "x\\u0000y"}'


def send(client, method, path, body, content_type):
    extra = {"HTTP_X_CLIENT_ID": f"fuzz-{uuid.uuid4().hex[:12]}"}  # the rate limit is per client
    if content_type is None:
        return client.generic(method.upper(), path, body, **extra)
    return client.generic(method.upper(), path, body, content_type=content_type, **extra)


def problem(response):
    """What is wrong with an answer (None: a JSON answer, in the error shape if it refuses)."""
    if response.status_code >= 500:
        return f"a {response.status_code}: {response.content[:300]!r}"
    if response.status_code == 204:
        return None
    if not response.get("Content-Type", "").startswith(JSON):
        return f"a {response.status_code} that is not JSON ({response.get('Content-Type')}): {response.content[:200]!r}"
    body = response.json()
    if response.status_code >= 400:
        if not (
            isinstance(body, dict)
            and isinstance(body.get("error"), str)
            and isinstance(body.get("detail"), str)
        ):
            return f"a {response.status_code} not in the error shape: {body!r}"
    return None


@pytest.mark.slow
def test_every_write_operation_refuses_hostile_bodies_in_json(
    client, schema, shop, clean_shop_state
):
    found = operations(schema)
    assert len(found) >= 30, "the fuzz should see every write operation"
    failures = []
    for method, path, operation in found:
        cases = [(name, *case) for name, case in HOSTILE.items()]
        cases += [(name, body, JSON) for name, body in odd_bodies(schema, operation)]
        for name, body, content_type in cases:
            response = send(client, method, path, body, content_type)
            if (trouble := problem(response)) is not None:
                failures.append(f"{method.upper()} {path} with {name}: {trouble}")
            elif name in HOSTILE and response.status_code < 400:
                failures.append(
                    f"{method.upper()} {path} with {name}: accepted ({response.status_code})"
                )
    assert not failures, "\n".join(failures)


def test_an_unknown_path_and_an_unknown_method_under_the_api_answer_json(client):
    for response in (
        client.get("/api/no/such/thing"),
        client.post("/api/no/such/thing", b"{}", content_type=JSON),
    ):
        assert response.status_code == 404 and response["Content-Type"].startswith(JSON), (
            response.content[:200]
        )
        assert set(response.json()) >= {"error", "detail"}


def test_every_operation_answers_odd_query_values_in_json(client, schema, shop, clean_shop_state):
    """Query values too: a NUL (PostgreSQL refuses it even in a comparison) and 10,000 characters."""
    failures = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            for name, value in ((n, v) for n in names for v in ("a\x00b", "x" * 10_000)):
                response = client.generic(
                    method.upper(),
                    _fill(path, operation),
                    b"",
                    QUERY_STRING=urlencode({name: value}),
                    HTTP_X_CLIENT_ID=f"fuzz-{uuid.uuid4().hex[:12]}",
                )
                if (trouble := problem(response)) is not None:
                    failures.append(f"{method.upper()} {path}?{name}={value[:5]!r}…: {trouble}")
    assert not failures, "\n".join(failures)
