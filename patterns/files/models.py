"""Accounting's books (what the morning import writes), the files it has imported (by checksum),
and the story clock that runs the night's schedule."""

from django.db import models


class Booking(models.Model):
    """One Shop order as Accounting booked it. Upserted by `order_id`: a later file updates it."""

    order_id = models.BigIntegerField(unique=True)
    customer_id = models.BigIntegerField()
    customer_name = models.CharField(max_length=100)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    source_file = models.CharField(max_length=120)
    line = models.PositiveIntegerField()


class ImportedFile(models.Model):
    """A file Accounting imported. Its checksum is unique: the same file twice imports once."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    rows = models.PositiveIntegerField()
    imported = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)


class Clock(models.Model):
    """The one story clock of this style (id 1). Story time = anchor_story + (now - anchor_real) × scale
    while running; frozen at anchor_story while paused. Days count from Day 1 00:00 (story second 0)."""

    running = models.BooleanField(default=True)
    anchor_real = models.DateTimeField()
    anchor_story = models.FloatField()
    last_export_day = models.IntegerField(default=0)
    last_pickup_day = models.IntegerField(default=0)
    late_day = models.IntegerField(default=0)  # that day's export runs late, after the pickup
