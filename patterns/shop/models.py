"""Shop's tables as first created. Shop's code reads them through `store` (raw SQL), because the
demo changes this schema at run time ("Shop ships a change"); these models only create it."""

from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=200, unique=True)
    password_hash = models.CharField(max_length=200)  # never leaves Shop through the API
    card_last4 = models.CharField(max_length=4)
    address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "shop_customer"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, db_constraint=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)  # euros
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=16)  # no index: a schema change drops this column
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "shop_order"


class SchemaChange(models.Model):
    """Which of Shop's demo migrations ("ship a change") are applied now."""

    name = models.CharField(max_length=32, primary_key=True)
    applied_at = models.DateTimeField()

    class Meta:
        db_table = "shop_schema_change"
