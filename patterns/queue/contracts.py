"""The contracts of the Message queue style: the job message each kind puts on the queue, what a
worker reports when a job is done or fails, and the worker controls."""

from datetime import datetime
from typing import Literal

import pydantic

from patterns.contracts import registry
from patterns.site import resets

from .kinds import MAX_DURATION_MS, MAX_RETRIES


class JobBase(pydantic.BaseModel):
    """A background job as it waits in the queue. `job_id` is the message id every side effect is
    idempotent on; `round` counts requeues from the dead-letter list."""

    model_config = pydantic.ConfigDict(extra="forbid")
    job_id: str = pydantic.Field(min_length=8, max_length=40)
    round: int = pydantic.Field(default=1, ge=1)
    duration_ms: float = pydantic.Field(ge=0, le=MAX_DURATION_MS)
    fail_rate: float = pydantic.Field(default=0, ge=0, le=1)
    fail_times: int = pydantic.Field(default=0, ge=0, le=MAX_RETRIES + 1)
    queued_at: datetime


class EmailData(pydantic.BaseModel):
    user: str = pydantic.Field(max_length=80)
    address: str = pydantic.Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=120)


class EmailJob(JobBase):
    """Sign-up → send the new user a welcome email."""

    kind: Literal["email"]
    data: EmailData


class ThumbnailJob(JobBase):
    """Photo upload → make a 200×200 thumbnail."""

    kind: Literal["thumbnail"]
    data: dict[Literal["photo"], str]


class AnalyticsJob(JobBase):
    """Page view → count it in the analytics."""

    kind: Literal["analytics"]
    data: dict[Literal["page"], str]


class NoopJob(JobBase):
    """A job that does nothing: the benchmark's unit of work."""

    kind: Literal["noop"]
    data: dict = {}


JOB_MODELS = {
    "email": EmailJob,
    "thumbnail": ThumbnailJob,
    "analytics": AnalyticsJob,
    "noop": NoopJob,
}


class JobOutcome(pydantic.BaseModel):
    """What a worker reports about one attempt: done, failed, retry scheduled or dead."""

    job_id: str
    attempt: int = pydantic.Field(ge=1)
    worker: str
    pid: int
    work_ms: float | None = None
    effect: str | None = None
    retry_in_s: float | None = None


class WorkerControl(pydantic.BaseModel):
    """A worker control the page used, and what Celery answered."""

    action: Literal["add", "remove", "pause", "resume", "crash"]
    detail: str
    nodes: list[str] = []


class Signup(pydantic.BaseModel):
    """A sign-up answered either after sending the email (blocking) or after queueing it."""

    mode: Literal["blocking", "queued"]
    response_ms: float = pydantic.Field(ge=0)
    job_id: str


def _example(kind, data):
    return {
        "job_id": "5f0c2a9e7d4b4c11",
        "round": 1,
        "duration_ms": 833.3,
        "fail_rate": 0,
        "fail_times": 0,
        "queued_at": "2026-01-01T08:00:00+00:00",
        "kind": kind,
        "data": data,
    }


def register():
    examples = {
        "email": {"user": "ada", "address": "ada@example.com"},
        "thumbnail": {"photo": "beach.jpg"},
        "analytics": {"page": "/pricing"},
        "noop": {},
    }
    for kind, model in JOB_MODELS.items():
        registry.register(f"queue.{kind}", model, examples=[_example(kind, examples[kind])])
    registry.register(
        "queue.outcome",
        JobOutcome,
        examples=[
            {
                "job_id": "5f0c2a9e7d4b4c11",
                "attempt": 1,
                "worker": "w1@host",
                "pid": 4242,
                "work_ms": 834.1,
                "effect": "welcome email sent to ada@example.com",
            }
        ],
    )
    registry.register(
        "queue.control",
        WorkerControl,
        examples=[{"action": "add", "detail": "pool_grow: now 3 processes", "nodes": ["w1@host"]}],
    )
    registry.register(
        "queue.signup",
        Signup,
        examples=[{"mode": "queued", "response_ms": 6.2, "job_id": "5f0c2a9e"}],
    )
    resets.register_contract("queue")
