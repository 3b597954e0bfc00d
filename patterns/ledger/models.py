import uuid

from django.db import models


def new_uid():
    return uuid.uuid4().hex


class HealthState(models.Model):
    """Since when each part of the playground has been up (or down), for the health page."""

    component = models.CharField(max_length=32, primary_key=True)
    up = models.BooleanField()
    since = models.DateTimeField()


class Message(models.Model):
    """One hop of one exchange: an event sent, a delivery attempt, a receiver's answer …

    `id` only ever grows and is the cursor pages resume from; `uid` makes every side effect
    idempotent (recording the same uid twice returns the first row).
    """

    class Status(models.TextChoices):
        OK = "ok", "OK"
        PENDING = "pending", "Pending"
        ERROR = "error", "Error"

    id = models.BigAutoField(primary_key=True)
    uid = models.CharField(max_length=64, unique=True, default=new_uid)
    correlation_id = models.CharField(max_length=64, db_index=True, default=new_uid)
    room = models.CharField(max_length=16, blank=True, default="", db_index=True)
    style = models.CharField(max_length=16, db_index=True)
    kind = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=32)
    target = models.CharField(max_length=32)
    hop = models.CharField(max_length=24)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.OK, db_index=True
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    payload = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    contract = models.CharField(max_length=64, blank=True, default="")
    valid = models.BooleanField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    duration_ms = models.FloatField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    latency_ms = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["style", "id"], name="ledger_style_id"),
            models.Index(fields=["room", "id"], name="ledger_room_id"),
        ]

    def __str__(self):
        return f"#{self.id} {self.style}/{self.kind} {self.hop} {self.source}→{self.target}"

    def to_dict(self):
        """The JSON shape of a message, shared by the API, the live feed and the exports."""
        return {
            "id": self.id,
            "uid": self.uid,
            "correlation_id": self.correlation_id,
            "room": self.room,
            "style": self.style,
            "kind": self.kind,
            "source": self.source,
            "target": self.target,
            "hop": self.hop,
            "status": self.status,
            "status_code": self.status_code,
            "attempt": self.attempt,
            "payload": self.payload,
            "headers": self.headers,
            "contract": self.contract,
            "valid": self.valid,
            "error": self.error,
            "duration_ms": self.duration_ms,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "created_at": self.created_at.isoformat(),
            "latency_ms": self.latency_ms,
        }
