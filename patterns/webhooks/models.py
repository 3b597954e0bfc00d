"""Payments' side (endpoints, the event outbox, deliveries and their attempts), Shop's side (its
receiver's mode and secret, the webhook ids it has processed) and the push-vs-poll poller."""

import uuid

from django.db import models


def short_uid():
    return uuid.uuid4().hex[:20]


def world_field(**options):
    """The world a row belongs to: a room's code, or "" for the shared demo (roomctx.world())."""
    return models.CharField(max_length=16, default="", blank=True, db_index=True, **options)


class LiveEndpoints(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Endpoint(models.Model):
    """A URL that subscribed to events, in one world. The built-in one (key "shop", one per world)
    is Shop's own endpoint.

    Deleting one keeps its row (see endpoints.delete): `objects` holds the others, `everything` all.
    """

    world = world_field()
    key = models.CharField(max_length=16, null=True, blank=True)
    url = models.CharField(
        max_length=500, blank=True
    )  # blank for the built-in: its address is ours
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list, blank=True)  # [] = every type
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    disabled = models.BooleanField(default=False)
    disabled_reason = models.CharField(max_length=200, blank=True)
    failure_run = models.PositiveIntegerField(default=0)  # messages that died in a row
    disable_after = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveEndpoints()
    everything = models.Manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["world", "key"], name="one_key_per_world")]

    @property
    def builtin(self):
        return self.key == "shop"

    @property
    def node(self):
        """Its name on the stage and in the ledger."""
        return "shop" if self.builtin else f"endpoint-{self.id}"

    @property
    def label(self):
        return "Shop (built-in endpoint)" if self.builtin else (self.description or self.url)[:60]

    def wants(self, event_type):
        return not self.event_types or event_type in self.event_types


class Event(models.Model):
    """The outbox: one row per event, written with its deliveries in one transaction.

    `id` grows in commit order (it is written under the ledger's writer lock): the poller's cursor.
    """

    id = models.BigAutoField(primary_key=True)
    world = world_field()  # delivered, listed and polled only in this world
    event_id = models.CharField(max_length=40, unique=True)  # sent as webhook-id
    type = models.CharField(max_length=40, db_index=True)
    source = models.CharField(max_length=16, db_index=True)
    body = models.TextField()  # the exact bytes signed; never re-encoded
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["id"]


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    uid = models.CharField(max_length=24, unique=True, default=short_uid)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Bumped whenever the delivery is handed to a worker: a job holding an older number does nothing,
    # so a redelivered or duplicated job never makes a second request.
    dispatch = models.PositiveIntegerField(default=0)
    manual = models.BooleanField(default=False)  # a resend: one attempt, outside the ladder
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_set")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.FloatField(null=True)
    status_code = models.PositiveSmallIntegerField(null=True)
    ok = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    response = models.CharField(max_length=300, blank=True)  # its first bytes
    headers = models.JSONField(default=dict)  # what was sent: webhook-id, -timestamp, -signature

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_row_per_attempt")
        ]


class Receiver(models.Model):
    """Shop's receiver (one row per world): how it behaves right now, and the secret Shop was given."""

    world = world_field(unique=True)
    mode = models.CharField(max_length=10, default="healthy")
    secret = models.CharField(max_length=100)
    flaky_count = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)


class Processed(models.Model):
    """A webhook Shop has acted on. Its webhook-id, unique in its world, is the deduplication."""

    world = world_field()
    webhook_id = models.CharField(max_length=100)
    type = models.CharField(max_length=40)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["world", "webhook_id"], name="processed_once_per_world")
        ]


class Poller(models.Model):
    """Shop's poller (one row per world): asks Payments "anything new?" every `interval` story
    seconds."""

    world = world_field(unique=True)
    running = models.BooleanField(default=False)
    interval = models.PositiveIntegerField(default=3600)  # story seconds
    started_at = models.DateTimeField(null=True)
    stops_at = models.DateTimeField(null=True)
    next_poll_at = models.DateTimeField(null=True)
    cursor = models.BigIntegerField(default=0)  # the last event id seen
    requests = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    staleness_ms = models.FloatField(default=0)  # summed over the events found
