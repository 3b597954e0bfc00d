"""Shop ships a change: four real migrations of Shop's own tables, each with its way back.

Shop's code (`store`) follows every change, as a team shipping a migration with its code would.
Anyone reading the tables directly does not — which is the lesson of the database style:

  rename_column  orders.total (euros) becomes orders.amount_cents (whole cents)
  change_type    orders.status (text) becomes orders.status_code (a number: 1 = pending …)
  split_table    customers' address, city, country move to a new table customer_address
  add_not_null   customers get a required `status` column ('active'), so an unqualified
                 `status` in a query joining orders and customers becomes ambiguous
"""

from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone

from .models import SchemaChange

DB = "shop"
STATUS_CODES = {
    "pending": 1,
    "paid": 2,
    "shipped": 3,
    "delivered": 4,
    "cancelled": 5,
    "refunded": 6,
}
_to_code = (
    "CASE status " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATUS_CODES.items()) + " END"
)
_to_text = (
    "CASE status_code " + " ".join(f"WHEN {v} THEN '{k}'" for k, v in STATUS_CODES.items()) + " END"
)


@dataclass(frozen=True)
class Change:
    name: str
    title: str
    explanation: str
    forward: dict  # vendor ("sqlite", "postgresql", or "*") -> [SQL statements]
    backward: dict


CHANGES = {
    c.name: c
    for c in [
        Change(
            "rename_column",
            "Rename a column: total → amount_cents",
            "Shop now stores order amounts as whole cents in a column called amount_cents.",
            {
                "sqlite": [
                    "ALTER TABLE shop_order RENAME COLUMN total TO amount_cents",
                    "UPDATE shop_order SET amount_cents = CAST(ROUND(amount_cents * 100) AS INTEGER)",
                ],
                "postgresql": [
                    "ALTER TABLE shop_order RENAME COLUMN total TO amount_cents",
                    "ALTER TABLE shop_order ALTER COLUMN amount_cents TYPE integer USING ROUND(amount_cents * 100)::integer",
                ],
            },
            {
                "sqlite": [
                    "ALTER TABLE shop_order RENAME COLUMN amount_cents TO total",
                    "UPDATE shop_order SET total = ROUND(total / 100.0, 2)",
                ],
                "postgresql": [
                    "ALTER TABLE shop_order ALTER COLUMN amount_cents TYPE numeric(10, 2) USING amount_cents / 100.0",
                    "ALTER TABLE shop_order RENAME COLUMN amount_cents TO total",
                ],
            },
        ),
        Change(
            "change_type",
            "Change a type: status text → status_code number",
            "Shop stores an order's status as a small number (1 = pending, 2 = paid …) instead of a word.",
            {
                "*": [
                    "ALTER TABLE shop_order ADD COLUMN status_code smallint NOT NULL DEFAULT 0",
                    f"UPDATE shop_order SET status_code = {_to_code}",
                    "ALTER TABLE shop_order DROP COLUMN status",
                ]
            },
            {
                "*": [
                    "ALTER TABLE shop_order ADD COLUMN status varchar(16) NOT NULL DEFAULT 'pending'",
                    f"UPDATE shop_order SET status = {_to_text}",
                    "ALTER TABLE shop_order DROP COLUMN status_code",
                ]
            },
        ),
        Change(
            "split_table",
            "Split a table: addresses move out of customers",
            "Shop moves each customer's address, city and country to a new table, customer_address.",
            {
                "*": [
                    "CREATE TABLE shop_customer_address (customer_id integer PRIMARY KEY REFERENCES shop_customer (id), "
                    "address varchar(200) NOT NULL, city varchar(100) NOT NULL, country varchar(2) NOT NULL)",
                    "INSERT INTO shop_customer_address SELECT id, address, city, country FROM shop_customer",
                    "ALTER TABLE shop_customer DROP COLUMN address",
                    "ALTER TABLE shop_customer DROP COLUMN city",
                    "ALTER TABLE shop_customer DROP COLUMN country",
                ]
            },
            {
                "*": [
                    *(
                        f"ALTER TABLE shop_customer ADD COLUMN {col} varchar({size}) NOT NULL DEFAULT ''"
                        for col, size in (("address", 200), ("city", 100), ("country", 2))
                    ),
                    "UPDATE shop_customer SET address = a.address, city = a.city, country = a.country "
                    "FROM shop_customer_address a WHERE a.customer_id = shop_customer.id",
                    "DROP TABLE shop_customer_address",
                ]
            },
        ),
        Change(
            "add_not_null",
            "Add a required column: customers.status",
            "Shop adds a required account status to every customer ('active' by default).",
            {
                "*": [
                    "ALTER TABLE shop_customer ADD COLUMN status varchar(16) NOT NULL DEFAULT 'active'"
                ]
            },
            {"*": ["ALTER TABLE shop_customer DROP COLUMN status"]},
        ),
    ]
}


class UnknownChange(ValueError):
    pass


def applied():
    """The names of the changes applied now."""
    return frozenset(SchemaChange.objects.using(DB).values_list("name", flat=True))


def _run(statements_by_vendor):
    connection = connections[DB]
    statements = statements_by_vendor.get(connection.vendor) or statements_by_vendor["*"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred; PostgreSQL refuses ALTER TABLE while checks of
            # earlier writes in this transaction are pending. Run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)


def apply(name):
    """Run change `name` on Shop's database (nothing if it is already applied). True if it ran."""
    if name not in CHANGES:
        raise UnknownChange(f"unknown change {name!r}; known: {', '.join(CHANGES)}")
    with transaction.atomic(using=DB):
        if SchemaChange.objects.using(DB).select_for_update().filter(name=name).exists():
            return False
        _run(CHANGES[name].forward)
        SchemaChange.objects.using(DB).create(name=name, applied_at=timezone.now())
    return True


def restore():
    """Undo every applied change, keeping the data. Returns the names undone."""
    undone = []
    with transaction.atomic(using=DB):
        for name in sorted(applied(), key=list(CHANGES).index, reverse=True):
            _run(CHANGES[name].backward)
            SchemaChange.objects.using(DB).filter(name=name).delete()
            undone.append(name)
    return undone


def describe():
    """Shop's tables and their columns as they are now (read from the database itself)."""
    connection = connections[DB]
    with connection.cursor() as cursor:
        tables = sorted(
            t.name
            for t in connection.introspection.get_table_list(cursor)
            if t.name.startswith("shop_") and t.name != "shop_schema_change"
        )
        return {
            t: [c.name for c in connection.introspection.get_table_description(cursor, t)]
            for t in tables
        }
