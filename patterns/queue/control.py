"""Worker controls through Celery's remote control: grow or shrink a worker's pool, stop and
restart consuming the jobs queue, and crash a pool process mid-job. Nothing home-made: the page
says which Celery command ran and what the worker answered."""

import json
import time

from django.core.cache import cache

from patterns.ledger.errors import ApiError
from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record
from patterns.site import redisclient

from . import broker, journal
from .broker import app
from .kinds import QUEUE

MAX_PROCESSES = 8  # a classroom laptop has few cores
REPLY_TIMEOUT = 1.0
NODE_COUNT, FULL_ROUND_SECONDS = "queue:node-count", 5


def lanes(full=True, timeout=1.0):
    """Every worker's answer to queue_lanes: [{name, processes, jobs, consuming}].

    A broadcast waits `timeout` for answers unless it knows how many to expect. Polls (full=False)
    expect as many workers as the last full round found, and answer in milliseconds; a full round
    (every few seconds, and before every action) waits the whole timeout, to hear from every worker."""
    known = None if full else cache.get(NODE_COUNT)
    replies = (
        app().control.broadcast("queue_lanes", reply=True, timeout=timeout, limit=known or None)
        or []
    )
    nodes = [
        {"name": name, **answer}
        for reply in replies
        for name, answer in reply.items()
        if isinstance(answer, dict)
    ]
    if known is None or len(nodes) != known:
        cache.set(NODE_COUNT, len(nodes), timeout=FULL_ROUND_SECONDS)
    return sorted(nodes, key=lambda n: n["name"])


def _nodes():
    nodes = lanes(full=False) or lanes(full=True)
    if not nodes:
        raise ApiError(
            503,
            "no_workers",
            "no worker answered: start the playground (manage.py playground) or a Celery worker",
        )
    return nodes


def _ask(command, destination, **arguments):
    replies = (
        app().control.broadcast(
            command,
            arguments=arguments,
            destination=destination,
            reply=True,
            timeout=REPLY_TIMEOUT,
            limit=len(destination),
        )
        or []
    )
    return {name: answer for reply in replies for name, answer in reply.items()}


def _note(action, detail, nodes, status="ok", target="worker"):
    record(
        style="queue",
        kind="control",
        hop=action,
        source="web",
        target=target,
        status=status,
        payload={"action": action, "detail": detail, "nodes": nodes},
        contract="queue.control",
    )
    return {"action": action, "detail": detail, "nodes": nodes}


def _size(node):
    return node.get("size", len(node["processes"]))


def add():
    nodes = _nodes()
    total = sum(_size(n) for n in nodes)
    if total >= MAX_PROCESSES:
        raise ApiError(
            409,
            "too_many_workers",
            f"already {total} worker processes; the playground stops at {MAX_PROCESSES}",
        )
    node = min(nodes, key=_size)["name"]
    answer = _ask("pool_grow", [node], n=1).get(node, {})
    if "ok" not in answer:
        raise ApiError(
            409, "not_grown", f"{node} did not grow its pool: {answer.get('error', 'no answer')}"
        )
    return _note(
        "add", f"Celery pool_grow on {node}: {total} → {total + 1} worker processes", [node]
    )


def remove(tries=12):
    nodes = _nodes()
    total = sum(_size(n) for n in nodes)
    bigger = [n for n in nodes if _size(n) > 1]
    if not bigger:
        raise ApiError(
            409, "last_worker", "each worker keeps at least one process; there is nothing to remove"
        )
    node = max(bigger, key=_size)["name"]
    for _ in range(tries):  # Celery only stops an idle process: wait for one to finish its job
        answer = _ask("queue_pool_shrink", [node]).get(node, {})
        if "ok" in answer:
            return _note(
                "remove",
                f"Celery pool_shrink on {node}: {total} → {total - 1} worker processes "
                "(an idle one was stopped; no job was interrupted)",
                [node],
            )
        if "one process left" in answer.get("error", ""):
            raise ApiError(409, "last_worker", f"{node} has one process left; it stays")
        time.sleep(0.25)
    raise ApiError(
        409,
        "all_busy",
        f"every process of {node} stayed busy, and Celery only stops an idle one; "
        "pause the queue or try again in a moment",
    )


def pause():
    nodes = [n["name"] for n in _nodes()]
    _ask("cancel_consumer", nodes, queue=QUEUE)
    return _note(
        "pause",
        f"Celery cancel_consumer('{QUEUE}') on {len(nodes)} worker(s): jobs now wait in the queue; "
        "jobs already taken are finished",
        nodes,
        status="pending",
        target="queue",
    )


def resume():
    nodes = [n["name"] for n in _nodes()]
    _ask("add_consumer", nodes, queue=QUEUE)
    return _note(
        "resume",
        f"Celery add_consumer('{QUEUE}') on {len(nodes)} worker(s): workers take jobs again",
        nodes,
        target="queue",
    )


CRASH_PATIENCE_S = 3.0  # how long a crash waits for the next job to start while jobs wait


def _crash_running(nodes):
    """Ask the workers that hold a job, busiest first, to kill the process running one with part of
    its work surely still ahead (remote.queue_crash_job). (node, answer), or None."""
    holding = sorted((n for n in nodes if n["jobs"]), key=lambda n: -len(n["jobs"]))
    for node in holding:
        answer = _ask("queue_crash_job", [node["name"]]).get(node["name"], {})
        if answer.get("ok") == "killed":
            return node["name"], answer
    return None


def _crash_next_job(patience):
    """Arm a crash that the next job to start takes (worker.Attempt.crash_if_mine). A worker's main
    process learns late that a job of milliseconds started, and on a busy machine every job it
    sees may be over already; a job that claims the crash itself is surely mid-job. (node, answer)
    when one did within `patience`, else None (and the crash is disarmed)."""
    redis, token = redisclient.client(), new_uid()
    if not redis.set(journal.CRASH, token, nx=True, px=int((patience + 5) * 1000)):
        raise ApiError(409, "crash_pending", "a crash is already on its way; watch the lanes")
    report = f"{journal.CRASHED}{token}"
    raw = _read_when_there(redis, report, patience)
    if raw is None:
        if journal.take_crash(redis) == token.encode():  # disarmed before any job took it
            return None  # no job started meanwhile, and none can take it now
        raw = _read_when_there(redis, report, 2.0)  # a job took it at the last moment
        if raw is None:
            return None
    found = json.loads(raw)
    return found.pop("node"), found


def _read_when_there(redis, key, seconds):
    deadline = time.monotonic() + seconds
    while (raw := redis.get(key)) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return raw


def crash(patience=CRASH_PATIENCE_S):
    """SIGKILL a worker process mid-job. A job seen running with work still ahead is killed by its
    worker's main process; otherwise, while jobs wait, the next one to start takes the crash."""
    nodes = _nodes()
    hit = _crash_running(nodes)
    if hit is None and (any(n["jobs"] or n.get("prefetched") for n in nodes) or broker.depth()):
        hit = _crash_next_job(patience)
    if hit is None:
        waiting = broker.depth()
        raise ApiError(
            409,
            "nothing_running",
            f"{waiting} job(s) wait in the queue but no worker process started one: "
            "are the workers paused? Resume them, then crash one mid-job"
            if waiting
            else "no job is running right now, so there is nothing to crash mid-job: "
            "send some jobs first (a spike, or a photo upload)",
        )
    node, answer = hit
    detail = (
        f"SIGKILL to worker process {answer['pid']} on {node} while it ran job {answer['job_id'][:8]} "
        f"({answer['kind']}). The job was never acknowledged, so the broker puts it back at the end of "
        "the queue and a worker runs it again after the jobs already waiting; "
        "Celery starts a new process in its place."
    )
    return {
        **_note("crash", detail, [node], status="error"),
        "pid": answer["pid"],
        "job_id": answer["job_id"],
    }


ACTIONS = {"add": add, "remove": remove, "pause": pause, "resume": resume, "crash": crash}
