"""Helpers for the database style's tests: a fingerprint of Shop's database, to prove that a
refused statement changed nothing."""

import hashlib
from pathlib import Path

import pytest
from django.db import connections

from patterns.shop import schema


@pytest.fixture(autouse=True)
def _full_buckets(clean_shop_state):
    """Reporting's API dashboard calls Shop's rate-limited API: each test starts with a full bucket."""


def shop_fingerprint():
    """SQLite: a hash of the database file's bytes (and its write-ahead log). PostgreSQL: a hash
    of every row of every Shop table and of the columns, computed by the database."""
    connection = connections[schema.DB]
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        digest = hashlib.sha256()
        for part in (path, Path(f"{path}-wal")):
            digest.update(part.read_bytes() if part.exists() else b"-")
        return digest.hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name LIKE 'shop%%' ORDER BY table_name"
        )
        tables = [t for (t,) in cursor.fetchall()]
        parts = []
        for table in tables:
            cursor.execute(
                f"SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            parts.append(f"{table}:{cursor.fetchone()[0]}")
        cursor.execute(
            "SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' "
            "ORDER BY table_name, column_name)) FROM information_schema.columns WHERE table_schema = current_schema()"
        )
        parts.append(cursor.fetchone()[0])
    return "|".join(parts)


@pytest.fixture
def vendor():
    return connections[schema.DB].vendor
