"""A lane of the comparison: one style carrying "order N shipped" from Shop to a consumer.

A lane is a small plug-in: subclass Lane, fill in the words and the four hooks, and `register()`
it (see the modules beside this one). Each hook speaks to the styles only over HTTP (a Wire).
  start(run, wire, notes, faulty)  the producer's side, just after Shop shipped the order
  tick(run, wire, notes, now)      a polling consumer asks again if it is due (beat, every second)
  lift(run, wire, notes)           take the injected failure away again
  measure(run, notes)              what the ledger says: a LaneResult
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from patterns.ledger.models import Message
from patterns.site import storytime

POLL_STORY_SECONDS = 60 * 60  # a polling consumer asks every story hour


def poll_interval():
    """Real seconds between two polls: one story hour, but at least one beat tick (1 s)."""
    return max(1.0, storytime.to_real(POLL_STORY_SECONDS))


@dataclass
class LaneResult:
    learned_at: datetime | None = None
    calls: int = 0  # requests or messages the exchange took up to now
    messages: int = 0  # ledger rows of this lane's exchange
    failures: int = 0  # of those, how many failed
    broke: str = ""  # what the injected failure did, in words
    correlation_ids: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


class Lane:
    key = ""  # the style's key (patterns.site.styles)
    title = ""  # "Polled REST"
    producer = "Shop"
    consumer = ""
    how = ""  # one sentence: how the consumer hears about the order
    coupling = 3  # 1 (loose) … 5 (tight)
    coupling_text = ""
    fault = ""  # the failure this lane can inject, as a toggle's label
    fault_key = ""  # "receiver_down", "column_renamed" …
    idle_cost = ""  # what the exchange costs while nothing happens

    def start(self, run, wire, notes, faulty):
        raise NotImplementedError

    def horizon(self, notes):
        """Real seconds this lane's consumer may need (a run lasts at least this long)."""
        return 0.0

    def tick(self, run, wire, notes, now):
        """Most lanes are pushed to; only polling consumers do something here."""

    def lift(self, run, wire, notes):
        """Undo the injected failure."""

    def measure(self, run, notes):
        raise NotImplementedError

    @staticmethod
    def rows(run, **filters):
        return Message.objects.filter(id__gt=run.cursor, **filters).order_by("id")

    def describe(self):
        return {
            "key": self.key,
            "title": self.title,
            "producer": self.producer,
            "consumer": self.consumer,
            "how": self.how,
            "coupling": self.coupling,
            "coupling_text": self.coupling_text,
            "fault": self.fault,
            "fault_key": self.fault_key,
            "idle_cost": self.idle_cost,
        }


class Poller:
    """Shared by the lanes whose consumer asks on a schedule: is a poll due, and count it."""

    @staticmethod
    def due(notes, now):
        return not notes.get("learned") and now.timestamp() >= notes.get("next_at", 0)

    @staticmethod
    def plan_next(notes, now):
        notes["n"] = notes.get("n", 0) + 1
        notes["next_at"] = now.timestamp() + poll_interval()
        return notes["n"]
