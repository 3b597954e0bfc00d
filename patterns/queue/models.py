from django.db import models


class Effect(models.Model):
    """A job's side effect (an email sent, a thumbnail made, a page view counted), at most once per
    job: the unique job id is what makes a redelivered job harmless."""

    job_id = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=16, db_index=True)
    detail = models.CharField(max_length=200)
    room = models.CharField(max_length=16, blank=True, default="", db_index=True)  # its world
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.kind} {self.job_id}: {self.detail}"


class DeadLetter(models.Model):
    """A job that failed every attempt. Redis has no dead-letter exchange, so the list lives here,
    with the job message, so it can be sent again."""

    class Status(models.TextChoices):
        DEAD = "dead", "Dead"
        REQUEUED = "requeued", "Requeued"

    job_id = models.CharField(max_length=40)
    round = models.PositiveSmallIntegerField(default=1)
    room = models.CharField(max_length=16, blank=True, default="", db_index=True)  # its world
    kind = models.CharField(max_length=16)
    job = models.JSONField()  # the job message as it was last sent
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.DEAD, db_index=True
    )
    died_at = models.DateTimeField(auto_now_add=True)
    requeued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["job_id", "round"], name="queues_dead_once_per_round")
        ]

    def to_dict(self):
        return {
            "id": self.id,
            "job_id": self.job_id,
            "round": self.round,
            "kind": self.kind,
            "error": self.error,
            "attempts": self.attempts,
            "status": self.status,
            "died_at": self.died_at.isoformat(),
            "requeued_at": self.requeued_at.isoformat() if self.requeued_at else None,
        }


class Outbox(models.Model):
    """A job message on its way to the broker (the outbox pattern, as the webhooks style has it).

    The row is written in the same transaction as the job's "queued" hop and handed to Celery
    after commit. If the broker is down then, the row stays pending and due, and the sweeper
    (queue.sweep, every beat tick) hands it over when the broker is back: a job fired during a
    Redis outage waits here instead of being refused or lost."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the broker"
        SENT = "sent", "Handed to the broker"

    task_id = models.CharField(
        max_length=80, unique=True
    )  # one per message sent (a second send has its own)
    job_id = models.CharField(max_length=40, db_index=True)
    job = models.JSONField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField()  # when the sweeper may hand it over (again)
    dispatch = models.PositiveIntegerField(default=0)  # hand-overs so far
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"], name="queues_outbox_due")]

    def __str__(self):
        return f"{self.task_id} ({self.state})"
