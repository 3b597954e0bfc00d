"""The home page's small live exchange: a ping that really travels browser → web → queue →
worker and back, four ledger hops sharing one correlation id."""

import pydantic
import redis
from django.utils import timezone
from kombu.exceptions import OperationalError

from patterns.contracts import registry as contracts
from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record, record_many

from . import triggers


class PingRequest(pydantic.BaseModel):
    """A visitor's ping: an optional short note that travels with it."""

    model_config = pydantic.ConfigDict(extra="forbid")
    note: str = pydantic.Field(default="", max_length=80)


class PingReply(pydantic.BaseModel):
    """The worker's answer, with how long the whole trip took."""

    pong: bool
    note: str = ""
    round_trip_ms: float = pydantic.Field(ge=0)


class BrokerDown(Exception):
    """The queue cannot be reached; nothing was sent."""


def send_ping(note="", room=""):
    """Hand the job to the queue, then record the request and that it was enqueued, together.

    The queue is asked outside any ledger transaction: the ledger's writers' lock is shared by
    every process, and a frozen Redis must cost this one request a second or two, not every writer.
    The two hops go in one commit, one ring for the pages: a ring of its own each put one more
    ring per ping through the feed hub's tick, and half a class's deliveries waited for it
    (bench/classroom.py: p50 30 -> 51 ms). If the queue cannot be reached the request answers
    BrokerDown and the ledger says why."""
    from .tasks import answer_ping

    correlation_id, started = new_uid(), timezone.now()
    common = {"style": "ping", "kind": "ping", "correlation_id": correlation_id, "room": room}
    try:
        answer_ping.delay(correlation_id, started.isoformat(), note, room)
    except (OperationalError, redis.RedisError) as exc:
        record_many(
            [
                _request(common, note),
                {
                    **common,
                    "uid": f"{correlation_id}-not-enqueued",
                    "hop": "not-enqueued",
                    "source": "web",
                    "target": "queue",
                    "status": "error",
                    "payload": {"error": "the queue (Redis) cannot be reached; nothing was sent"},
                },
            ]
        )
        raise BrokerDown(str(exc)) from exc
    request, enqueued = record_many([_request(common, note), _enqueued(common, started)])
    return {"correlation_id": correlation_id, "hops": [request.to_dict(), enqueued.to_dict()]}


def _request(common, note):
    return {
        **common,
        "uid": f"{common['correlation_id']}-request",
        "hop": "request",
        "source": "browser",
        "target": "web",
        "payload": {"note": note},
        "contract": "ping.request",
    }


def _enqueued(common, started):
    return {
        **common,
        "uid": f"{common['correlation_id']}-enqueued",
        "hop": "enqueued",
        "source": "web",
        "target": "queue",
        "payload": {"task": "answer_ping"},
        "sent_at": started,
    }


def answer(correlation_id, started, note, room):
    """The worker's side: two hops, idempotent on their uids (a redelivered job adds nothing).
    A fast worker may get here before the web process has recorded its two: recording them
    first (the same uids, so once) keeps the four hops in order."""
    common = {"style": "ping", "kind": "ping", "correlation_id": correlation_id, "room": room}
    *_, picked = record_many(
        [
            _request(common, note),
            _enqueued(common, started),
            {
                **common,
                "uid": f"{correlation_id}-picked-up",
                "hop": "picked-up",
                "source": "queue",
                "target": "worker",
                "payload": {"task": "answer_ping"},
                "sent_at": started,
            },
        ]
    )
    trip_ms = round((timezone.now() - started).total_seconds() * 1000, 3)
    record(
        **common,
        uid=f"{correlation_id}-reply",
        hop="reply",
        source="worker",
        target="browser",
        payload={"pong": True, "note": note, "round_trip_ms": trip_ms},
        contract="ping.reply",
        sent_at=started,
    )
    return picked


def register():
    contracts.register("ping.request", PingRequest, examples=[{"note": "hello from row 3"}])
    contracts.register(
        "ping.reply", PingReply, examples=[{"pong": True, "note": "", "round_trip_ms": 21.5}]
    )
    triggers.register(
        "ping",
        "ping",
        lambda data: send_ping(**PingRequest.model_validate(data).model_dump()),
        help="a ping through the queue and back",
    )
