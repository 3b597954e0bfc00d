"""The workers' journal: how a 10,000-job spike is recorded without a commit per hop.

As a job runs, its worker process pushes each hop (and the job's side effect) onto a Redis list:
a tenth of a millisecond, no database lock. One flusher at a time (a thread in every worker
process, whichever takes the Redis lock) moves the list into the database in batches: one
transaction per batch holds the side effects, the dead letters and record_many() of the hops.

Why nothing is lost or doubled: a job pushes its "done" entry before Celery acknowledges it, so a
crash before the push means redelivery, and after it the entry waits in Redis (as durable as the
queue itself) for any flusher. The list is trimmed only after its batch committed; a batch applied
twice changes nothing (apply() knows an entry again by its uid and the moment it was written). The
flusher, which sees the whole order, is also where a second delivery is told apart: a repeated
"started" becomes "redelivered", a second "done" for a job becomes "duplicate".
"""

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from datetime import datetime

import redis
from django.db import close_old_connections, transaction

from patterns.ledger.models import Message
from patterns.ledger.recorder import record_many
from patterns.ledger.roomctx import current_room, in_room
from patterns.site import redisclient

from .models import DeadLetter, Effect

KEY, LOCK, DONE = "queue:journal", "queue:journal:lock", "queue:done:"
CRASH, CRASHED = "queue:crash:armed", "queue:crash:report:"  # control.crash's crash of the next job
DONE_TTL_S = 7 * 24 * 3600
BATCH = 500
GATHER_S = 0.02  # after a wake-up, let a few more hops arrive: one commit for all of them
IDLE_S = 1.0  # an idle flusher still looks, for entries a crashed process left behind
# A flusher holds the lock a few seconds at a time, renewed per batch: a process killed mid-flush
# (the crash demo kills worker processes, and each runs a flusher) holds up the ledger that long.
LOCK_S = 5
OUTAGE_WAIT_S = 120  # how long a job waits for Redis to come back before it fails
log = logging.getLogger(__name__)
_local = {"pid": None}


def _client():
    if _local["pid"] != os.getpid():  # a forked pool process opens its own connection and flusher
        _local.update(pid=os.getpid(), client=redisclient.client(), flusher=None)
    return _local["client"]


def _patiently(call):
    """Run a Redis call; while Redis is down, wait for it (up to OUTAGE_WAIT_S). A job that finished
    during an outage then records its hops when Redis is back, before Celery acknowledges it."""
    deadline = time.monotonic() + OUTAGE_WAIT_S
    pause = 0.1
    while True:
        try:
            return call()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("queue journal: Redis unreachable (%s); waiting for it", exc)
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def append(*entries):
    """Append entries without starting a flusher here (the worker's main process must not run one:
    the pool processes do); any flusher takes them within IDLE_S."""
    raw = [json.dumps(_in_its_world(entry), default=str) for entry in entries]
    _patiently(lambda: _client().rpush(KEY, *raw))


def _in_its_world(entry):
    """An entry carries the room of the job that wrote it: whoever flushes the journal later (a
    worker, or a stats request made in some other room) must not lend it their own."""
    room = current_room.get()
    if room and not entry["fields"].get("room"):
        return {**entry, "fields": {**entry["fields"], "room": room}}
    return entry


def push(*entries):
    """Append entries: {"fields": record() fields, "effect"?: {...}, "dead"?: {...}}, in one round trip."""
    append(*entries)
    if _local["flusher"] is None:
        _local["flusher"] = _Flusher()
    _local["flusher"].wake.set()


def pending():
    return _client().llen(KEY)


def before_start(job_id):
    """(whether the job's work is known to be done, whether a crash is armed), in one round trip.
    Done is a hint that spares the work and the database: the flusher's check on the effects table
    is the guarantee. An armed crash is rare; claim_crash() decides who takes it."""

    def ask():
        pipe = _client().pipeline(transaction=False)
        pipe.exists(f"{DONE}{job_id}")
        pipe.exists(CRASH)
        return pipe.execute()

    done, armed = _patiently(ask)
    return bool(done), bool(armed)


def take_crash(client):
    """The armed crash's token, taken (GET and DEL in one MULTI: one job dies per crash, and a
    request that disarms it knows whether a job took it first), or None."""
    pipe = client.pipeline()
    pipe.get(CRASH)
    pipe.delete(CRASH)
    return pipe.execute()[0]


def claim_crash():
    """The armed crash's token if this job's process took it, else None."""
    return _patiently(lambda: take_crash(_client()))


def report_crash(token, report):
    """What a process that took a crash says before it dies, for the request that armed it."""
    _patiently(lambda: _client().set(f"{CRASHED}{token.decode()}", json.dumps(report), ex=60))


def flush():
    """Move the journal into the database, a batch per transaction, while this process holds the lock."""
    client = _client()
    lock = client.lock(LOCK, timeout=LOCK_S, blocking=False)
    if not lock.acquire():
        return 0
    moved = 0
    try:
        while raw := client.lrange(KEY, 0, BATCH - 1):
            try:
                lock.reacquire()  # LOCK_S more for this batch
            except redis.exceptions.LockNotOwnedError:
                break  # the last batch outlasted the lock: another flusher has taken over
            with in_room(None):  # an entry without a room takes its exchange's, never the flusher's
                done = apply([json.loads(item) for item in raw])
            with client.pipeline(transaction=False) as pipe:
                pipe.ltrim(KEY, len(raw), -1)
                for (
                    job_id
                ) in done:  # lets a later delivery skip the work without asking the database
                    pipe.set(f"{DONE}{job_id}", 1, ex=DONE_TTL_S)
                pipe.execute()
            moved += len(raw)
    finally:
        with contextlib.suppress(redis.exceptions.LockNotOwnedError):
            lock.release()
    return moved


def _room_of(entry):
    """The world of the job that wrote the entry (a room's entries carry it from the push on)."""
    return entry["fields"].get("room") or ""


def apply(entries):
    """Record a batch in one transaction. A batch may come twice: a flusher killed between its
    commit and its trim (a crashed worker process runs one) leaves the batch for the next. An entry
    is known again by its uid, its process and the moment it was written (payload "pid", "at"): the same entry again
    changes nothing; another delivery under the same uid becomes "redelivered" or "duplicate",
    under a uid drawn from that entry, so that it too is recorded once however often it comes."""
    rows, effects, dead = [], [], []
    with transaction.atomic():
        uids = {e["fields"]["uid"] for e in entries if e["fields"]["hop"] in ("started", "done")}
        recorded = {
            uid: _written(payload)
            for uid, payload in Message.objects.filter(uid__in=uids).values_list("uid", "payload")
        }
        done_ids = {e["effect"]["job_id"] for e in entries if "effect" in e}
        effected = set(Effect.objects.filter(job_id__in=done_ids).values_list("job_id", flat=True))
        for entry in entries:
            fields = _fields(entry["fields"])
            uid, at = fields["uid"], _written(fields.get("payload"))
            again = uid in recorded and recorded[uid] == at  # this very entry, applied before
            if fields["hop"] == "started" and uid in recorded and not again:
                # this attempt began before: its process died unacknowledged
                fields.update(hop="redelivered", uid=_another(uid, at))
            if "effect" in entry and not again:
                job_id = entry["effect"]["job_id"]
                if job_id in effected:  # another delivery of the same job finished first
                    fields.update(
                        hop="duplicate",
                        uid=_another(uid, at),
                        payload={**fields["payload"], "effect": "none: already done"},
                    )
                else:
                    effected.add(job_id)
                    effects.append(Effect(**entry["effect"], room=_room_of(entry)))
            recorded.setdefault(uid, at)
            if "dead" in entry:
                dead.append({**entry["dead"], "room": _room_of(entry)})
            rows.append(fields)
        Effect.objects.bulk_create(effects, ignore_conflicts=True)
        for letter in dead:
            DeadLetter.objects.get_or_create(
                job_id=letter.pop("job_id"), round=letter.pop("round"), defaults=letter
            )
        record_many(rows)
    return [effect.job_id for effect in effects]


def _written(payload):
    """Where and when an entry was written: its process and its moment."""
    payload = payload or {}
    return f"{payload.get('pid')}@{payload.get('at')}"


def _another(uid, at):
    """The uid of another delivery's row: the same for the same entry, whenever it is applied."""
    return uuid.uuid5(uuid.NAMESPACE_OID, f"{uid}|{at}").hex


def _fields(fields):
    fields = dict(fields)
    if fields.get("sent_at"):
        fields["sent_at"] = datetime.fromisoformat(fields["sent_at"])
    return fields


class _Flusher(threading.Thread):
    def __init__(self):
        super().__init__(name="queue-journal", daemon=True)
        self.wake = threading.Event()
        self.start()

    def run(self):
        while True:
            if self.wake.wait(IDLE_S):
                time.sleep(GATHER_S)
            self.wake.clear()
            try:
                if pending():
                    flush()
            except Exception:  # keep flushing later: the entries stay in Redis until they commit
                log.exception("queue journal: flush failed; will retry")
                close_old_connections()
                time.sleep(0.5)
