"""What the intruder sees: everything Reporting's connection can read, beside what the API gives.

The column list comes from Reporting's own connection (what *it* may read, asked of the database),
and a sample customer row from the same connection; the API's side is a real response of Shop's API.
"""

import httpx

from . import agreed, reader
from .failures import Failure

# Why each private column matters, in plain words.
RISKS = {
    "email": "Personal data: enough to send convincing fake emails (phishing), and a legal breach to leak.",
    "password_hash": "Can be guessed offline, one common password after another, at full speed and unseen. "
    "People reuse passwords, so a guess here often opens their email and bank too.",
    "card_last4": "Part of a payment card. With a name and an address it helps fraudsters pass as the customer.",
    "address": "Where someone lives.",
    "city": "Narrows down where someone lives; harmless alone, revealing with the rest.",
    "name": "Who the customer is.",
}
PG_COLUMNS_SQL = (
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
)
SAMPLE_SQL = "SELECT * FROM shop_customer ORDER BY id LIMIT 1"


def readable():
    """(tables → columns, one customer row as a dict) through Reporting's connection (blocking)."""
    with reader.session() as conn:
        tables = {}
        for table, column in _columns(conn):
            if table.startswith("shop_"):
                tables.setdefault(table, []).append(column)
        sample = reader.run(conn, SAMPLE_SQL)
    return tables, dict(zip(sample.columns, sample.rows[0])) if sample.rows else {}


def _columns(conn):
    if (
        reader.vendor() == "sqlite"
    ):  # pragma_table_info is refused by the authorizer: ask table by table
        names = reader.run(
            conn, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).rows
        return [
            (t, row[1])
            for (t,) in names
            for row in reader.run(conn, f'PRAGMA table_info("{t}")').rows
        ]
    return reader.run(conn, PG_COLUMNS_SQL).rows


async def api_sample():
    """The first customer as Shop's API gives it."""
    async with agreed.shop_client() as client:
        response = await client.get(f"{agreed.SHOP_API}/customers?after=0&limit=1")
    items = response.json().get("items", []) if response.status_code == 200 else []
    return items[0] if items else {}


async def report():
    try:
        tables, sample = await reader.in_pool(readable)
        error = ""
    except Failure as exc:
        tables, sample, error = {}, {}, exc.database_error
    try:
        api = await api_sample()
    except httpx.HTTPError as exc:
        api = {"error": str(exc) or type(exc).__name__}
    private = [c for c in sample if c in RISKS and c not in api]
    return {
        "direct": {"tables": tables, "sample": sample, "sql": SAMPLE_SQL, "error": error},
        "api": {"sample": api, "path": f"{agreed.SHOP_API}/customers"},
        "private": [{"column": c, "risk": RISKS[c]} for c in private],
    }
