from django.db import models


class StreamEvent(models.Model):
    """One message of one stream: the stream's own log, which viewers resume from by `seq`.

    Each world (a room's code, "" for the shared demo) has its own streams: `seq` counts 1, 2, 3 …
    per world and stream with no gaps (allocated under the ledger writers' lock), so a
    viewer that saw up to N asks for everything after N. `uid` is the ledger row of the same message.
    """

    room = models.CharField(max_length=16, blank=True, default="")
    stream = models.CharField(max_length=16)
    seq = models.PositiveBigIntegerField()
    uid = models.CharField(max_length=64, unique=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["room", "stream", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "stream", "seq"], name="streams_event_room_stream_seq"
            )
        ]

    def to_frame(self):
        """The JSON shape a viewer gets: seq, publish time (epoch ms) and the payload."""
        return {"seq": self.seq, "t": self.created_at.timestamp() * 1000, "data": self.payload}
