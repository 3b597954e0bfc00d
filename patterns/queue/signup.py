"""Blocking vs queued: the same sign-up, with the welcome email sent inside the request (the user
waits for it) or handed to the queue (the user gets an answer at once)."""

import time

from django.db import transaction
from django.utils import timezone

from patterns.ledger.recorder import record
from patterns.ledger.roomctx import world

from .models import Effect
from .sender import build_job, hop, publish
from .worker import effect_of


def _answer(job, mode, began):
    response_ms = round((time.perf_counter() - began) * 1000, 2)
    record(
        style="queue",
        kind="email",
        hop=f"answered-{mode}",
        source="web",
        target="user",
        uid=f"{job['job_id']}-answer",
        correlation_id=job["job_id"],
        duration_ms=response_ms,
        contract="queue.signup",
        payload={"mode": mode, "response_ms": response_ms, "job_id": job["job_id"]},
    )
    return {"mode": mode, "job_id": job["job_id"], "response_ms": response_ms}


def sign_up(mode):
    began = time.perf_counter()
    job = build_job("email")
    if mode == "queued":
        publish([(job, hop(job))])
        return _answer(job, mode, began)
    time.sleep(job["duration_ms"] / 1000)  # the request itself talks to the mail server
    with transaction.atomic():
        Effect.objects.create(
            job_id=job["job_id"], kind="email", detail=effect_of(job), room=world()
        )
        record(
            style="queue",
            kind="email",
            hop="sent-in-request",
            source="web",
            target="mailer",
            uid=f"{job['job_id']}-done",
            correlation_id=job["job_id"],
            duration_ms=job["duration_ms"],
            sent_at=timezone.now(),
            payload={"effect": effect_of(job), "note": "sent while the user waited"},
        )
    return _answer(job, mode, began)
