"""What the intruder sees: Reporting's connection reads every column; Shop's API only the agreed ones."""

import httpx
import pytest

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


def test_reportings_connection_reads_password_hashes_the_api_never_gives(asgi_server, shop):
    body = httpx.get(f"{asgi_server.url}/api/database/exposure", timeout=30).json()
    direct, api = body["direct"], body["api"]
    assert {"email", "password_hash", "card_last4", "address"} <= set(
        direct["tables"]["shop_customer"]
    )
    assert direct["sample"]["password_hash"].startswith("pbkdf2_sha256$")
    assert set(api["sample"]) == {"id", "name", "customer_since", "city", "country"}
    assert api["sample"]["id"] == direct["sample"]["id"]
    assert [p["column"] for p in body["private"]] == [
        "email",
        "password_hash",
        "card_last4",
        "address",
    ]
    assert all(p["risk"] for p in body["private"])


def test_after_a_split_the_connection_reads_the_new_table_too(asgi_server, shop):
    httpx.post(f"{asgi_server.url}/api/database/schema", json={"change": "split_table"}, timeout=30)
    body = httpx.get(f"{asgi_server.url}/api/database/exposure", timeout=30).json()
    assert body["direct"]["tables"]["shop_customer_address"] == [
        "customer_id",
        "address",
        "city",
        "country",
    ]
