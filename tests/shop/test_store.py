"""Shop's own code keeps working through every change it ships to its schema."""

from decimal import Decimal

import pytest

from patterns.shop import schema, store

pytestmark = pytest.mark.django_db(databases=["default", "shop"])
EVERY_COMBINATION = [[], *([name] for name in schema.CHANGES), list(schema.CHANGES)]


def test_a_fresh_shop_has_believable_customers_and_orders_some_of_them_today(shop):
    orders = list(store.iter_orders(batch=100))
    assert len(orders) == 400 and len(store.list_customers(limit=100)) == 40
    assert {o["status"] for o in orders} >= {"delivered", "shipped", "paid", "pending"}
    assert any(o["created_at"][:10] == orders[-1]["created_at"][:10] for o in orders[-10:])
    assert all(Decimal(o["total"]) > 0 for o in orders)


@pytest.mark.parametrize("changes", EVERY_COMBINATION, ids=lambda c: "+".join(c) or "original")
def test_shops_own_reads_and_writes_follow_its_schema_changes(shop, changes):
    before = {o["id"]: o for o in store.iter_orders()}
    seventh = store.list_customers(limit=7)[-1]["id"]  # a re-seeded Shop does not reuse ids
    customer = store.get_customer(seventh)
    for name in changes:
        assert schema.apply(name) is True
    assert {o["id"]: o for o in store.iter_orders()} == before
    assert store.get_customer(seventh) == customer
    created = store.create_order(seventh, "19.99")
    assert created["total"] == "19.99" and created["status"] == "pending"
    assert store.change_status(created["id"], "paid")["status"] == "paid"
    assert [o["id"] for o in store.list_orders(status="paid", customer_id=seventh)][-1] == created[
        "id"
    ]


def test_restore_puts_the_schema_back_and_keeps_the_data(shop):
    original = schema.describe()
    for name in schema.CHANGES:
        schema.apply(name)
    third = store.list_customers(limit=3)[-1]["id"]
    order = store.change_status(store.create_order(third, "5.50")["id"], "paid")
    assert schema.describe() != original
    assert sorted(schema.restore()) == sorted(schema.CHANGES)
    assert {t: sorted(c) for t, c in schema.describe().items()} == {
        t: sorted(c) for t, c in original.items()
    }
    assert store.get_order(order["id"]) == order


def test_a_change_applied_twice_runs_once(shop):
    assert schema.apply("rename_column") is True
    assert schema.apply("rename_column") is False
    first = store.list_orders(limit=1)[0]["id"]
    assert store.get_order(first)["total"] == store.get_order(first)["total"]


def test_an_unknown_change_is_refused(shop):
    with pytest.raises(schema.UnknownChange):
        schema.apply("drop_everything")


def test_impossible_status_transitions_are_refused(shop):
    order = store.create_order(store.list_customers(limit=1)[0]["id"], "10.00")
    with pytest.raises(store.BadTransition, match="pending cannot become delivered"):
        store.change_status(order["id"], "delivered")
    assert store.get_order(order["id"])["status"] == "pending"


def test_unknown_orders_and_customers_are_not_found(shop):
    with pytest.raises(store.NotFound):
        store.get_order(10**6)
    with pytest.raises(store.NotFound):
        store.create_order(10**6, "1.00")


def test_the_agreed_view_never_contains_private_columns(shop):
    customer = store.get_customer(store.list_customers(limit=1)[0]["id"])
    assert set(customer) == {"id", "name", "customer_since", "city", "country"}
    assert set(store.get_order(store.list_orders(limit=1)[0]["id"])) == {
        "id",
        "customer_id",
        "total",
        "currency",
        "status",
        "created_at",
        "updated_at",
    }
