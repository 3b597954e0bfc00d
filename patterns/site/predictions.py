"""What a prediction about a style can be decided by, and the questions a style ships.

A style declares (its StyleConfig's `measurements` part) a `Predictions`: its measurements — each
reads the ledger for one run of an action and returns what happened — and its built-in questions,
each bound to the style's own triggers (the twins of its buttons) and to one of its measurements.
The questions app (patterns.questions) asks them, fires them in the room's world and lets the
measurement pick the correct option, so the answer is whatever the real system did.

This module sits in `site` so a style can declare its questions without importing the app above it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from patterns.ledger.models import Message


@dataclass(frozen=True)
class Run:
    """One firing of a question's action, as a measurement reads it: the world it ran in, the
    ledger id just before it (everything it caused comes after), when it started, and what each
    trigger returned (event ids, job ids …)."""

    world: str
    after_id: int
    started_at: datetime
    results: tuple = ()

    def messages(self, **filters):
        """The ledger rows of this run's world recorded since it started (in ledger order)."""
        return Message.objects.filter(room=self.world, id__gt=self.after_id, **filters)

    def returned(self, name):
        """Every value a trigger returned under `name` (e.g. every "job_id")."""
        return [r[name] for r in self.results if isinstance(r, dict) and name in r]


@dataclass(frozen=True)
class Measured:
    """What a measurement found: `value` (None: the run has not settled yet) and, in words, how."""

    value: int | float | str | None
    detail: str = ""


@dataclass(frozen=True)
class Measurement:
    """`read(run) -> Measured`. `unit` names what a number counts ("attempts"); a measurement whose
    values are words lists them in `values` ({value: what it means}) so options can name them."""

    key: str
    label: str
    read: Callable[[Run], Measured]
    unit: str = ""
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """Fire trigger (style, kind) `count` times with `data`. `data` may be a callable returning the
    data, for what must be fresh on every run (a new client id)."""

    style: str
    kind: str
    data: dict | Callable = field(default_factory=dict)
    count: int = 1

    def data_now(self):
        return self.data() if callable(self.data) else dict(self.data)


@dataclass(frozen=True)
class Option:
    """An answer: it is right when the measured value equals `value`, or lies within [low, high]
    (either end may be open)."""

    text: str
    value: str | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Question:
    """A built-in question. `prepare()` (optional) sets the scene with the style's own switches before
    the steps fire (Shop's receiver offline …) and `finish()` puts back what need not stay changed
    once they have (Shop healthy again); `shared` says the action changes what every room
    shares (Shop's schema, the file drop's inbox), so in a room it needs the owner too."""

    id: str
    style: str
    text: str
    options: tuple
    steps: tuple
    measurement: str
    explain: str = ""
    prepare: Callable | None = None
    finish: Callable | None = None
    shared: bool = False


@dataclass(frozen=True)
class Predictions:
    measurements: tuple
    questions: tuple
