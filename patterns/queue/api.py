"""`/api/queue/…`: enqueue jobs, read the queue's stats, control the workers, see and requeue dead jobs."""

import time
from typing import Literal

from django.db import transaction
from django.utils import timezone
from ninja import Router, Schema, Status

from patterns.ledger.errors import ApiError, ErrorOut
from patterns.ledger.roomctx import world

from . import control, sender, signup, stats
from .kinds import KINDS, MAX_COUNT, MAX_DURATION_MS
from .models import DeadLetter

router = Router(tags=["queue"])


class JobsIn(Schema):
    kind: str
    count: int = 1
    fail_rate: float | None = None
    duration_ms: float | None = None
    fail_times: int = 0


class JobsOut(Schema):
    kind: str
    count: int
    ids: list[str]
    queue: str
    enqueue_ms: float
    held_in_outbox: int = 0
    detail: str = ""


class WorkersIn(Schema):
    action: str


class SignupIn(Schema):
    mode: Literal["blocking", "queued"] = "queued"


def _check(body):
    kinds = ", ".join(KINDS)
    if body.kind not in KINDS:
        raise ApiError(400, "unknown_kind", f"kind must be one of: {kinds}", "kind")
    if not 1 <= body.count <= MAX_COUNT:
        raise ApiError(400, "bad_count", f"count must be between 1 and {MAX_COUNT:,}", "count")
    if body.fail_rate is not None and not 0 <= body.fail_rate <= 1:
        raise ApiError(
            400,
            "bad_fail_rate",
            "fail_rate must be between 0 and 1 (0.25 = one job in four fails)",
            "fail_rate",
        )
    if body.duration_ms is not None and not 0 <= body.duration_ms <= MAX_DURATION_MS:
        raise ApiError(
            400,
            "bad_duration",
            f"duration_ms must be between 0 and {MAX_DURATION_MS}",
            "duration_ms",
        )
    if not 0 <= body.fail_times <= 4:
        raise ApiError(400, "bad_fail_times", "fail_times must be between 0 and 4", "fail_times")


@router.post("/jobs", response={201: JobsOut, 202: JobsOut, 400: ErrorOut, 422: ErrorOut})
def enqueue(request, body: JobsIn):
    """Enqueue `count` (1–10,000) background jobs of `kind` (email, thumbnail, analytics, noop).
    `fail_rate` (0–1) makes that share of attempts fail; `fail_times` (0–4) makes the first N
    attempts fail (a deterministic demo of back-off); `duration_ms` overrides the work time (real
    milliseconds; the default is the kind's story-time duration). Bad input (400) changes nothing.
    If the broker is down (or frozen) the jobs are still accepted, within a couple of seconds: 202,
    and `held_in_outbox` of them wait in the database's outbox and go out when it is back."""
    _check(body)
    began = time.perf_counter()
    ids, held = sender.send(
        body.kind,
        body.count,
        fail_rate=body.fail_rate or 0.0,
        duration_ms=body.duration_ms,
        fail_times=body.fail_times,
    )
    detail = (
        f"the broker cannot be reached: {held} jobs wait in the outbox and go out when it is back"
        if held
        else ""
    )
    return Status(
        202 if held else 201,
        {
            "kind": body.kind,
            "count": len(ids),
            "ids": ids,
            "queue": "jobs",
            "held_in_outbox": held,
            "detail": detail,
            "enqueue_ms": round((time.perf_counter() - began) * 1000, 1),
        },
    )


@router.post("/jobs/duplicate", response={201: dict})
def duplicate(request):
    """Send one email job twice (the same job id in two messages): the email goes out once."""
    return Status(201, {"job_id": sender.enqueue_twice("email")})


@router.get("/stats")
def queue_stats(request):
    """Depth (from the broker), jobs in flight, done, failed, dead, workers and throughput."""
    return stats.snapshot()


@router.post("/workers", response={200: dict, 400: ErrorOut, 409: ErrorOut, 503: ErrorOut})
def workers(request, body: WorkersIn):
    """Control the workers with Celery's remote control: `add` or `remove` a worker process,
    `pause` or `resume` taking jobs, `crash` (SIGKILL) a process in the middle of a job."""
    action = control.ACTIONS.get(body.action)
    if action is None:
        raise ApiError(
            400, "unknown_action", "action must be one of: " + ", ".join(control.ACTIONS), "action"
        )
    result = action()
    stats.snapshot(fresh=True)
    return result


@router.get("/dead")
def dead_letters(request, status: str = "dead"):
    """The dead-letter list: jobs that failed every attempt, newest first (`status=all` for requeued too)."""
    if status not in ("dead", "requeued", "all"):
        raise ApiError(400, "bad_status", "status must be dead, requeued or all", "status")
    rows = DeadLetter.objects.filter(room=world())  # this world's: a room sees its own jobs only
    rows = rows if status == "all" else rows.filter(status=status)
    return {"dead": [row.to_dict() for row in rows[:200]], "count": rows.count()}


@router.post("/dead/{dead_id}/requeue", response={200: dict, 404: ErrorOut, 409: ErrorOut})
def requeue(request, dead_id: int):
    """Send a dead job again (its injected fault cleared, as if the cause were fixed)."""
    with transaction.atomic():
        row = DeadLetter.objects.select_for_update().filter(id=dead_id, room=world()).first()
        if row is None:
            raise ApiError(404, "not_found", f"no dead job #{dead_id}")
        if row.status != DeadLetter.Status.DEAD:
            raise ApiError(409, "already_requeued", f"dead job #{dead_id} was already requeued")
        job = sender.requeue(row)
        row.status, row.requeued_at = DeadLetter.Status.REQUEUED, timezone.now()
        row.save(update_fields=["status", "requeued_at"])
    return {"dead": row.to_dict(), "job_id": job["job_id"], "round": job["round"]}


@router.post("/signup", response={200: dict, 422: ErrorOut})
def sign_up(request, body: SignupIn):
    """Sign a user up; `blocking` sends the welcome email inside the request, `queued` enqueues it
    (through the outbox: if the broker is down, the email waits there)."""
    return signup.sign_up(body.mode)
