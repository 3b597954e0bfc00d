from django.db import models
from django.utils import timezone


class Asked(models.Model):
    """A question asked in a world (a room's code, "" for the shared demo). `spec` is the question
    as it was asked (text, options, steps, measurement), so a catalogue that changes later, or an
    instructor's own question, is read back as the class saw it."""

    world = models.CharField(max_length=16, blank=True, default="", db_index=True)
    source = models.CharField(max_length=80)  # a catalogue id, or "own"
    spec = models.JSONField()
    state = models.CharField(max_length=8, default="ready")  # ready, open, locked
    round = models.PositiveSmallIntegerField(default=0)
    revealed = models.BooleanField(default=False)
    fired_after = models.BigIntegerField(null=True, blank=True)  # the ledger id before the action
    fired_at = models.DateTimeField(null=True, blank=True)
    fire_results = models.JSONField(default=list, blank=True)
    measured = models.JSONField(null=True, blank=True)  # {"value", "detail"} once settled
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class Vote(models.Model):
    """One voter's choice in one round; a second vote in the same round replaces the first."""

    asked = models.ForeignKey(Asked, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField()
    voter = models.CharField(max_length=64)
    option = models.PositiveSmallIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asked", "round", "voter"], name="one_vote_per_round")
        ]


class Seen(models.Model):
    """A student's page in a room, last seen at: "N of M voted" counts the pages seen lately."""

    world = models.CharField(max_length=16, blank=True, default="")
    voter = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["world", "voter"], name="one_seen_per_voter")
        ]


class Saved(models.Model):
    """A room's own question, written on the page or imported: kept (and exported) until asked,
    and after. Asking one asks a copy of its spec, so it can be asked again another time."""

    world = models.CharField(max_length=16, blank=True, default="", db_index=True)
    spec = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
