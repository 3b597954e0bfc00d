from django.db import models


class Run(models.Model):
    """One "order 42 shipped" sent through every lane at once. `state` holds each lane's own notes
    (ids to find its ledger rows, what its consumer saw); the measurements come from the ledger."""

    # The world it runs in (a room's code, "" for the shared demo): its calls, its ledger rows and
    # who may read it back.
    world = models.CharField(max_length=16, blank=True, default="", db_index=True)
    order_id = models.PositiveIntegerField(default=42)
    faults = models.JSONField(default=list)  # lane keys whose failure is injected
    state = models.JSONField(default=dict)  # lane key -> that lane's notes
    cursor = models.BigIntegerField(default=0)  # the last ledger id before the run
    created_at = models.DateTimeField(auto_now_add=True)
    shipped_at = models.DateTimeField(null=True)  # when Shop shipped the order: t0 of every lane
    lifted_at = models.DateTimeField(null=True)  # when the injected faults were taken away
    finished_at = models.DateTimeField(null=True)
    claimed_until = models.DateTimeField(null=True)  # a tick is working on it until then
    problem = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
