"""`GET /api/queue/stats`: the queue as the broker, the workers and the ledger see it.

A room of 100 browsers polls it every second, so one snapshot per world is computed at most every
CACHE_SECONDS and shared (the others get the last one while it is refreshed). The counts are the
world's own (its jobs, their effects, its dead letters); the broker's depth, the jobs in flight and
the workers are one for the whole server, as the queue and the pool are.
"""

import time
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Avg, Count
from django.utils import timezone

from patterns.ledger.models import Message
from patterns.ledger.roomctx import world
from patterns.site import storytime

from . import broker, control, journal, outbox
from .models import DeadLetter, Effect

CACHE_SECONDS = 0.8
WINDOW_SECONDS = 10
KEY, LOCK = "queue:stats", "queue:stats:lock"


def _ledger(room):
    hops = dict(
        Message.objects.filter(style="queue", room=room)
        .exclude(kind="control")
        .values_list("hop")
        .annotate(n=Count("id"))
        .order_by()
    )
    recent = Message.objects.filter(
        style="queue", room=room, created_at__gte=timezone.now() - timedelta(seconds=WINDOW_SECONDS)
    )
    done_recent = recent.filter(hop="done").count()
    wait = recent.filter(hop="started", attempt=1).aggregate(avg=Avg("duration_ms"))["avg"]
    return hops, done_recent, wait


def _in_flight(nodes, room):
    """The jobs the workers hold now that were sent in this world (the ledger knows each job's)."""
    ids = {job["job_id"] for node in nodes for job in node["jobs"]}
    if not ids:
        return 0
    return (
        Message.objects.filter(style="queue", hop="queued", room=room, correlation_id__in=ids)
        .values("correlation_id")
        .distinct()
        .count()
    )


def compute(room=""):
    try:
        journal.flush()  # normally the workers' job; this catches what crashed workers left behind
    except Exception:  # stats must answer even when the database is busy
        pass
    hops, done_recent, wait = _ledger(room)
    nodes = control.lanes(full=False)
    started_retries = Message.objects.filter(
        style="queue", room=room, hop="started", attempt__gt=1
    ).count()
    return {
        "broker": broker.describe(),
        "depth": broker.depth(),
        "in_flight": _in_flight(nodes, room),
        "waiting_retry": max(0, hops.get("retry-scheduled", 0) - started_retries),
        "jobs": hops.get(
            "queued", 0
        ),  # distinct jobs; "sent" also counts second sends and requeues
        "sent": hops.get("queued", 0)
        + hops.get("sent-again", 0)
        + hops.get("requeued", 0)
        + hops.get("re-sent", 0),
        "started": hops.get("started", 0),
        "done": hops.get("done", 0),
        "failed": hops.get("failed", 0),
        "retried": hops.get("retry-scheduled", 0),
        "redelivered": hops.get("redelivered", 0),
        "duplicates": hops.get("duplicate", 0),
        "outbox": outbox.waiting(),  # held while the broker was down, going out when it is back
        "dead": DeadLetter.objects.filter(room=room, status=DeadLetter.Status.DEAD).count(),
        "effects": dict(
            Effect.objects.filter(room=room).values_list("kind").annotate(n=Count("id")).order_by()
        ),
        "throughput": round(done_recent / WINDOW_SECONDS, 2),
        "wait_ms": round(wait, 1) if wait is not None else None,
        "workers": {
            "processes": sum(n.get("size", len(n["processes"])) for n in nodes),
            "paused": bool(nodes) and not any(n["consuming"] for n in nodes),
            "nodes": nodes,
        },
        "time_scale": storytime.scale(),
        "at": time.time(),
    }


def snapshot(fresh=False):
    """The world at hand's snapshot (roomctx.world)."""
    room = world()
    key, lock = f"{KEY}:{room}", f"{LOCK}:{room}"
    cached = None if fresh else cache.get(key)
    if cached and time.time() - cached["at"] < CACHE_SECONDS:
        return cached
    if cached and not cache.add(lock, 1, timeout=5):
        return cached  # someone else is refreshing it
    try:
        value = compute(room)
        cache.set(key, value, timeout=60)
        return value
    finally:
        cache.delete(lock)
