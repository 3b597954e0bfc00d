"""The read-only SQL console: reads answer, and every way of writing is refused by the database
itself, with a clear message, the refusal recorded — and Shop's database byte for byte unchanged."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from patterns.database import reader
from patterns.ledger.models import Message

from .conftest import shop_fingerprint

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)

RUNAWAY = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
REFUSED = {  # statement -> expected error code (SQLite, PostgreSQL)
    "INSERT INTO shop_order (customer_id, total, currency, status, created_at, updated_at) "
    "VALUES (1, 1, 'EUR', 'paid', '2024-01-01', '2024-01-01')": ("read_only", "read_only"),
    "UPDATE shop_customer SET email = 'me@evil.example'": ("read_only", "read_only"),
    "DELETE FROM shop_order": ("read_only", "read_only"),
    "DROP TABLE shop_order": ("read_only", "read_only"),
    "1; DROP TABLE orders": ("one_statement_only", "one_statement_only"),
    "SELECT 1; DROP TABLE shop_order": ("one_statement_only", "one_statement_only"),
    "ATTACH DATABASE 'x.db' AS x": ("not_allowed", "sql_error"),
    "VACUUM INTO 'copy.db'": ("not_allowed", "sql_error"),
    "PRAGMA writable_schema=1": ("not_allowed", "sql_error"),
    "SELECT load_extension('/tmp/evil')": ("not_allowed", "sql_error"),
    "CREATE TEMP TABLE notes (x text)": ("read_only", "read_only"),
    RUNAWAY: ("time_limit", "time_limit"),
}


def post(client, sql, **extra):
    return client.post(
        "/api/database/query", {"sql": sql, **extra}, content_type="application/json"
    )


def test_a_read_returns_columns_and_rows_within_the_row_cap(client, shop):
    response = post(client, "SELECT id, total FROM shop_order ORDER BY id")
    body = response.json()
    assert response.status_code == 200
    assert body["columns"] == ["id", "total"] and body["row_count"] == reader.ROW_CAP == len(
        body["rows"]
    )
    assert body["truncated"] is True and body["rows"][0][0] < body["rows"][1][0]


def test_reporting_can_read_every_column_even_password_hashes(client, shop):
    body = post(
        client, "SELECT email, password_hash, card_last4 FROM shop_customer ORDER BY id LIMIT 1"
    ).json()
    assert body["rows"][0][1].startswith("pbkdf2_sha256$")


@pytest.mark.parametrize("sql", list(REFUSED), ids=lambda s: s[:30])
def test_every_write_or_escape_is_refused_clearly_and_changes_nothing(
    client, shop, vendor, sql, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # a relative ATTACH or VACUUM INTO would create its file here
    before, files_before = shop_fingerprint(), set(os.listdir(settings.DATA_DIR))
    response = post(client, sql)
    body = response.json()
    assert 400 <= response.status_code < 500
    assert body["error"] == REFUSED[sql][0 if vendor == "sqlite" else 1]
    assert body["detail"] and body["database_error"]
    assert shop_fingerprint() == before
    new_files = set(os.listdir(settings.DATA_DIR)) - files_before
    assert list(tmp_path.iterdir()) == [] and not {
        f for f in new_files if not f.endswith(("-wal", "-shm"))
    }


def test_a_runaway_query_is_stopped_by_the_time_limit(client, shop):
    body = post(client, RUNAWAY).json()
    assert body["error"] == "time_limit" and f"{reader.TIME_LIMIT_MS / 1000:g} s" in body["detail"]


def test_the_refusal_itself_is_recorded_in_the_ledger(client, shop):
    post(client, "DROP TABLE shop_order")
    message = Message.objects.get(style="database", kind="console.query")
    assert message.status == "error" and message.status_code == 403 and message.valid is True
    assert message.payload["outcome"] == "refused" and "database itself stopped it" in message.error


def test_every_console_query_is_one_ledger_message_even_when_refused(client, shop):
    statements = [
        "SELECT 1",
        "DELETE FROM shop_order",
        "SELECT nonsense",
        "SELECT 1; SELECT 2",
        "SELECT 2",
    ]
    for sql in statements:
        post(client, sql)
    recorded = list(
        Message.objects.filter(kind="console.query").values_list("payload__sql", "status")
    )
    assert recorded == [(s, "ok" if s in ("SELECT 1", "SELECT 2") else "error") for s in statements]


def test_a_retried_request_is_recorded_once(client, shop):
    for _ in range(3):
        assert post(client, "SELECT 1", request_id="try-42").status_code == 200
    assert Message.objects.filter(kind="console.query").count() == 1


def test_an_injection_through_the_parameterised_lookup_is_just_text(client, shop):
    before = shop_fingerprint()
    response = client.post(
        "/api/database/lookup", {"email": "' OR 1=1 --"}, content_type="application/json"
    )
    body = response.json()
    assert (
        response.status_code == 200
        and body["rows"] == []
        and body["params"] == {"email": "' OR 1=1 --"}
    )
    assert "sent to the database as a value" in body["note"]
    assert shop_fingerprint() == before


def test_the_lookup_finds_a_customer_by_exact_email(client, shop):
    customer_id, email = post(
        client, "SELECT id, email FROM shop_customer ORDER BY id DESC LIMIT 1"
    ).json()["rows"][0]
    body = client.post(
        "/api/database/lookup", {"email": email}, content_type="application/json"
    ).json()
    assert [row[0] for row in body["rows"]] == [customer_id]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "sql"),
        ({"sql": ""}, "sql"),
        ({"sql": "x" * 4001}, "sql"),
        ({"sql": "SELECT 1", "request_id": "no spaces!"}, "request_id"),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_records_nothing(client, shop, body, field):
    response = client.post("/api/database/query", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Message.objects.filter(style="database").exists()


def test_no_file_was_left_behind_by_attach_in_the_data_dir(client, shop):
    post(client, f"ATTACH DATABASE '{Path(settings.DATA_DIR) / 'evil.db'}' AS evil")
    assert not (Path(settings.DATA_DIR) / "evil.db").exists()


def test_a_write_hidden_in_a_with_clause_is_refused_too(client, shop):
    before = shop_fingerprint()
    response = post(
        client,
        "WITH gone AS (DELETE FROM shop_order RETURNING id) SELECT count(*) FROM gone"
        if connection_vendor() == "postgresql"
        else "WITH x AS (SELECT 1) DELETE FROM shop_order",
    )
    assert response.status_code == 403 and shop_fingerprint() == before


@pytest.mark.skipif("connection_vendor() != 'postgresql'")
def test_on_postgresql_the_console_runs_as_the_read_only_role_and_cannot_become_another(
    client, shop
):
    assert post(client, "SELECT current_user, current_setting('transaction_read_only')").json()[
        "rows"
    ] == [["playground_reporting", "on"]]
    body = post(client, "SET ROLE postgres").json()
    assert body["error"] == "not_allowed" and "permission denied" in body["database_error"]
    assert post(client, "SELECT * FROM pg_shadow").json()["error"] == "not_allowed"


def connection_vendor():
    from django.db import connections

    return connections["shop"].vendor
