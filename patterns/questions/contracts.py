"""The messages a lesson with questions leaves in the ledger (style "questions")."""

import pydantic
from pydantic import ConfigDict, Field

from patterns.contracts import registry


class Stage(pydantic.BaseModel):
    """The instructor moved a question on: asked, opened (a round), locked, revealed, fired."""

    model_config = ConfigDict(extra="forbid")
    question: int
    source: str
    action: str = Field(pattern="^(asked|opened|locked|revealed|fired)$")
    round: int = Field(ge=0, le=2)
    text: str
    counts: list[list[int]] = Field(
        default_factory=list, description="Each round's counts, once revealed."
    )
    votes: list[dict] = Field(
        default_factory=list, description="Each (pseudonymous) vote, once revealed."
    )
    steps: list[dict] = Field(default_factory=list, description="What was fired, once fired.")


class VoteCast(pydantic.BaseModel):
    """A student voted (or changed their vote). Which option stays hidden until the reveal, whose
    message lists every vote."""

    model_config = ConfigDict(extra="forbid")
    question: int
    round: int = Field(ge=1, le=2)
    voter: str = Field(description="A pseudonym: a hash of the browser's anonymous token.")
    changed: bool


class Outcome(pydantic.BaseModel):
    """What the measurement read from the ledger after the action, and the option it makes right
    (null when no option describes what happened)."""

    model_config = ConfigDict(extra="forbid")
    question: int
    measurement: str
    value: int | float | str | None
    detail: str
    correct: int | None


def register():
    common = {"channel": "http", "address": "/api/rooms/{code}/questions", "direction": "receive"}
    stage = {"question": 3, "source": "catalogue", "action": "opened", "round": 1, "text": "…"}
    vote = {"question": 3, "round": 1, "voter": "5f1c0a9e2b", "changed": False}
    outcome = {
        "question": 3,
        "measurement": "webhooks.attempts",
        "value": 3,
        "detail": "3 delivery attempts reached Shop's endpoint",
        "correct": 1,
    }
    registry.register("questions.stage", Stage, examples=[stage], **common)
    registry.register("questions.vote", VoteCast, examples=[vote], **common)
    registry.register("questions.outcome", Outcome, examples=[outcome], **common)
