"""Shared by the tours tests: Shop with an order 42, the order of the story."""

import pytest
from django.utils import timezone


@pytest.fixture
def order_42(shop, django_db_blocker):
    """The seed numbers orders from wherever the table's sequence stands, so after other tests
    there may be no order 42: add it (paid, ready to ship), as the story needs it."""
    from patterns.shop.models import Customer, Order

    with django_db_blocker.unblock():
        if not Order.objects.using("shop").filter(id=42).exists():
            now = timezone.now()
            Order.objects.using("shop").create(
                id=42,
                customer=Customer.objects.using("shop").first(),
                total="83.41",
                status="paid",
                created_at=now,
                updated_at=now,
            )
    return 42
