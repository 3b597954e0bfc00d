from django.db import models


class Effect(models.Model):
    """A job's side effect (an email sent, a thumbnail made, a page view counted), at most once per
    job: the unique job id is what makes a redelivered job harmless."""

    job_id = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=16, db_index=True)
    detail = models.CharField(max_length=200)
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
    kind = models.CharField(max_length=16)
    job = models.JSONField()  # the job message as it was last sent
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DEAD, db_index=True)
    died_at = models.DateTimeField(auto_now_add=True)
    requeued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["job_id", "round"], name="queues_dead_once_per_round")]

    def to_dict(self):
        return {
            "id": self.id, "job_id": self.job_id, "round": self.round, "kind": self.kind, "error": self.error,
            "attempts": self.attempts, "status": self.status, "died_at": self.died_at.isoformat(),
            "requeued_at": self.requeued_at.isoformat() if self.requeued_at else None,
        }
