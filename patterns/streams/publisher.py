"""Publishing: store a stream message (the stream's log and the ledger, one transaction), then
broadcast it to the viewers' group. Storing first is what lets any viewer resume by `seq`.

Every world (a room, or the shared demo "") has its own streams: its own seq from 1, its own
viewers. Each function here takes the world as `room`, by default the world at hand.
"""

import json
import logging

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record_many
from patterns.ledger.roomctx import in_room, world
from patterns.site import redisclient

from .config import pubsub_channel
from .models import StreamEvent

LOCK_CLASS = 7_310_404  # PostgreSQL advisory lock namespace: one lock per stream for seq allocation
STREAM_LOCK = {"ticker": 1, "chat": 2, "match": 3}
KIND = {
    ("ticker", "price"): "ticker.price",
    ("chat", "line"): "chat.message",
    ("match", "event"): "match.event",
    ("match", "comment"): "match.comment",
}
log = logging.getLogger(__name__)
SOURCE = {
    "ticker.price": "ticker",
    "chat.message": "viewer",
    "match.event": "match",
    "match.comment": "viewer",
}


def _lock(stream):
    if (
        connection.vendor == "postgresql"
    ):  # SQLite: the IMMEDIATE transaction already serialises writers
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, STREAM_LOCK[stream]]
            )


def _here(room):
    return world() if room is None else room


def world_uid(uid, room=None):
    """A caller's uid made the world's own: a resend id a viewer picked (or a match's) in one room
    must never find, and hand back, another world's message."""
    room = _here(room)
    return f"{room}:{uid}" if uid and room else uid


def append(stream, payloads, *, uids=None, room=None):
    """Give each payload (a dict with "type") the world's stream's next seq; store it and its
    ledger row (in that world).

    Returns the frames viewers get. A uid already stored (a resent chat line) is not stored again:
    its original frame is returned.
    """
    room = _here(room)
    uids = [world_uid(uid, room) for uid in (uids or [None] * len(payloads))]
    existing = {e.uid: e for e in StreamEvent.objects.filter(uid__in=[u for u in uids if u])}
    now = timezone.now()
    with transaction.atomic(), in_room(room):
        _lock(stream)
        last = _of(stream, room).aggregate(m=Max("seq"))["m"] or 0
        events, entries, result = [], [], []
        for payload, uid in zip(payloads, uids):
            if uid in existing:
                result.append(existing[uid])
                continue
            last += 1
            uid = uid or new_uid()
            kind = KIND[(stream, payload["type"])]
            events.append(
                StreamEvent(
                    room=room, stream=stream, seq=last, uid=uid, payload=payload, created_at=now
                )
            )
            result.append(events[-1])
            entries.append(
                {
                    "style": "streams",
                    "kind": kind,
                    "hop": "published",
                    "source": SOURCE[kind],
                    "target": "hub",
                    "uid": uid,
                    "payload": {"seq": last, **payload},
                    "contract": f"streams.{kind}",
                    "sent_at": now,
                }
            )
        if events:
            StreamEvent.objects.bulk_create(events)
            record_many(entries)
    return [event.to_frame() for event in result]


def _message(stream, frames, room):
    return json.dumps({"stream": stream, "events": frames, "room": room})


async def broadcast(stream, frames, redis, room=None):
    """Ring the web processes with the world's new frames (a doorbell: a viewer that misses it
    catches up by seq)."""
    if frames:
        try:
            await redis.publish(pubsub_channel(), _message(stream, frames, _here(room)))
        except Exception as exc:  # stored already: viewers catch up by seq on their next sync
            log.warning("streams broadcast not sent (%s); viewers will catch up", exc)


def broadcast_sync(stream, frames, room=None):
    if frames:
        try:
            _sync_client().publish(pubsub_channel(), _message(stream, frames, _here(room)))
        except Exception as exc:
            log.warning("streams broadcast not sent (%s); viewers will catch up", exc)


_client = None


def _sync_client():
    global _client
    if _client is None:
        _client = redisclient.client()
    return _client


def publish(stream, payloads, uids=None, room=None):
    """append() then broadcast, from synchronous code (a view, a trigger)."""
    room = _here(room)
    frames = append(stream, payloads, uids=uids, room=room)
    broadcast_sync(stream, frames, room)
    return frames


def _of(stream, room):
    return StreamEvent.objects.filter(room=room, stream=stream)


def read(stream, after, limit, room=None):
    """Frames of the world's `stream` after seq `after`, oldest first."""
    rows = _of(stream, _here(room)).filter(seq__gt=after).order_by("seq")[:limit]
    return [row.to_frame() for row in rows]


def latest_seqs(room=None):
    rows = StreamEvent.objects.filter(room=_here(room)).values("stream").annotate(m=Max("seq"))
    found = {row["stream"]: row["m"] for row in rows}
    return {stream: found.get(stream, 0) for stream in STREAM_LOCK}
