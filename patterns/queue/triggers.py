"""`manage.py fire queue <kind> [--count N] [--data JSON]`: the Do buttons, from a terminal."""

import pydantic

from patterns.site import triggers

from .kinds import KINDS


class FireData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    fail_rate: float = pydantic.Field(default=0, ge=0, le=1)
    duration_ms: float | None = pydantic.Field(default=None, ge=0)


def _fire(kind):
    def fire(data):
        from .sender import enqueue

        options = FireData.model_validate(data)
        ids = enqueue(kind, 1, fail_rate=options.fail_rate, duration_ms=options.duration_ms)
        return {"job_id": ids[0], "queue": "jobs"}

    return fire


def register():
    for kind in KINDS.values():
        triggers.register(
            "queue",
            kind.key,
            _fire(kind.key),
            help=f"{kind.action} → {kind.job} (a background job)",
        )
