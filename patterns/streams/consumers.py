"""The stream connection: one WebSocket per page at /ws/streams/, carrying every stream.

Protocol (JSON frames; contracts streams.subscribe, streams.events, streams.skipped):
  viewer -> server  {"type": "subscribe", "streams": {"chat": {"after": 12}, "ticker": {"after": null, "replay": "latest"}}}
                    {"type": "ack", "stream": s, "seq": n}       after handling an "events" frame
                    {"type": "chat", "nick", "text", "id"?}       a chat line ("id" makes a resend harmless)
                    {"type": "comment", "nick", "text", "id"?}    a comment beside the match
                    {"type": "sync"}                              heartbeat: catch up, renew presence, "pong"
  server -> viewer  {"type": "welcome", "viewers": n, "limits": {...}}
                    {"type": "events", "stream", "events": [{"seq", "t", "data"}], "replay": bool}
                    {"type": "skipped", "stream", "after", "resume_at", "count"}
                    {"type": "sent", "stream", "seq", "id"}  |  {"type": "presence", "viewers": n}
                    {"type": "pong", "viewers": n}  |  {"type": "error", "error", "detail", "retry_after"?}

With `?room=CODE` the viewer watches that room's streams (its ticker, chat and match), and what it
posts goes to that room; without, the shared demo's.

A viewer names the last seq it saw per stream; the server replays the rest from the database and
then follows the broadcasts (fanout.py). At most WINDOW messages are in flight (sent, not
acknowledged) to one viewer: a slow one is served from the database as it acknowledges, never
from a growing buffer.
"""

import asyncio
import json
import time

import pydantic
from channels.db import database_sync_to_async

from patterns.feed.sockets import PlaygroundConsumer
from patterns.ledger.background import spawn
from patterns.ledger.models import new_uid

from . import presence
from .config import (
    BACKLOG,
    MAX_FRAME_BYTES,
    NICK_MAX,
    PRINTABLE,
    STREAMS,
    SYMBOLS,
    TEXT_MAX,
    pubsub_channel,
)
from .fanout import fanout
from .publisher import append, broadcast, latest_seqs, read
from .ratelimit import LIMIT_TEXT, Bucket

PRESENCE_DELAY = 0.5  # joins and leaves within this are told in one presence frame
_presence_pending = set()  # the worlds whose presence broadcast is scheduled in this process


class Post(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")
    nick: pydantic.constr(
        strip_whitespace=True, min_length=1, max_length=NICK_MAX, pattern=PRINTABLE
    )
    text: pydantic.constr(
        strip_whitespace=True, min_length=1, max_length=TEXT_MAX, pattern=PRINTABLE
    )
    id: pydantic.constr(pattern=r"^[A-Za-z0-9_-]{6,40}$") | None = None


def tell_presence(room):
    """Tell a world's viewers how many are connected: once per PRESENCE_DELAY, however many come
    and go."""
    if room in _presence_pending:
        return
    _presence_pending.add(room)

    async def later():
        await asyncio.sleep(PRESENCE_DELAY)
        _presence_pending.discard(room)
        message = {"kind": "presence", "viewers": await presence.count(room), "room": room}
        await presence.client().publish(pubsub_channel(), json.dumps(message))

    spawn(later())


class StreamConsumer(PlaygroundConsumer):
    max_frame_bytes = MAX_FRAME_BYTES
    WINDOW = 300
    PAGE = 200

    async def connect(self):
        self.cursor, self.acked, self.mode = {}, {}, {}
        self.behind, self.reading, self.missed = set(), set(), set()
        self.bucket, self.present = Bucket(), False
        await self.accept()
        # The socket guard (playground/asgi.py) has checked the room: an unknown one never gets here.
        self.room = self.scope.get("world", "")
        self.viewer = new_uid()  # this connection in the world's presence set
        viewers = await presence.join(self.viewer, self.room)
        self.present = True
        await self.send_json(
            {
                "type": "welcome",
                "viewers": viewers,
                "limits": {"text": TEXT_MAX, "nick": NICK_MAX, "rate": LIMIT_TEXT},
            }
        )
        fanout.add(self)
        tell_presence(self.room)

    async def release(self):
        fanout.discard(self)
        if getattr(self, "present", False):
            await presence.leave(self.viewer, self.room)
            tell_presence(self.room)

    # Frames from the viewer (decoded and checked by PlaygroundConsumer) ------------------------

    async def receive_json(self, content, **kwargs):
        if not self.present:  # refused at connect (a bad room): closing, nothing to do
            return
        handler = {
            "subscribe": self.subscribe,
            "ack": self.ack,
            "chat": self.post,
            "comment": self.post,
            "sync": self.sync,
        }.get(content.get("type"))
        if handler is None:
            return await self.send_error(
                "unknown_type", "type must be subscribe, ack, chat, comment or sync"
            )
        try:
            await handler(content)
        except (ValueError, TypeError, pydantic.ValidationError) as exc:
            await self.send_error("bad_request", _words(exc))

    async def subscribe(self, content):
        streams = content.get("streams")
        if not isinstance(streams, dict) or not streams or set(streams) - set(STREAMS):
            raise ValueError(f"streams must name some of: {', '.join(STREAMS)}")
        options = {s: (o if isinstance(o, dict) else {}) for s, o in streams.items()}
        for stream, o in options.items():
            after, mode = o.get("after"), o.get("replay", "latest" if stream == "ticker" else "all")
            if mode not in ("all", "latest"):
                raise ValueError("replay must be all or latest")
            if after is not None and (
                not isinstance(after, int) or isinstance(after, bool) or after < 0
            ):
                raise ValueError("after must be a sequence number (0 or more) or null")
        latest = await database_sync_to_async(latest_seqs)(self.room)
        for stream, o in options.items():
            after = o.get("after")
            if after is None or after > latest[stream]:  # a new viewer, or a stream reset since
                after = max(0, latest[stream] - (len(SYMBOLS) if stream == "ticker" else BACKLOG))
            self.cursor[stream] = self.acked[stream] = after
            self.mode[stream] = o.get("replay", "latest" if stream == "ticker" else "all")
            await self.catch_up(stream)

    async def ack(self, content):
        stream, seq = content.get("stream"), content.get("seq")
        if stream not in self.cursor or not isinstance(seq, int):
            raise ValueError("ack needs a subscribed stream and its seq")
        self.acked[stream] = max(self.acked[stream], min(seq, self.cursor[stream]))
        for behind in list(self.behind):
            if not self.full:
                await self.catch_up(behind)

    async def post(self, content):
        may_fire = self.scope.get("may_fire")
        if may_fire is not None and not await may_fire(content.get("key", "")):
            await self.send_error(
                "key_required",
                "only the instructor may post here right now (in a room: until they let "
                "students fire; on a served playground's shared demo: its owner)",
            )
            return
        body = Post.model_validate(content)
        wait = self.bucket.take()
        if wait:
            await self.send_error(
                "rate_limited",
                f"Slow down: {LIMIT_TEXT}. Try again in {wait:.1f} s.",
                retry_after=round(wait, 2),
            )
            return
        stream, kind = ("chat", "line") if content["type"] == "chat" else ("match", "comment")
        payload = {"type": kind, "nick": body.nick, "text": body.text}
        uid = f"{stream}-{body.id}" if body.id else None
        frames = await database_sync_to_async(append)(stream, [payload], uids=[uid], room=self.room)
        await broadcast(stream, frames, presence.client(), room=self.room)
        await self.send_json(
            {"type": "sent", "stream": stream, "seq": frames[0]["seq"], "id": body.id}
        )

    async def sync(self, content):
        await presence.join(self.viewer, self.room)
        for stream in list(self.cursor):
            await self.catch_up(stream)
        await self.send_json(
            {"type": "pong", "viewers": await presence.count(self.room), "t": time.time() * 1000}
        )

    # Broadcasts (called by the fan-out) ------------------------------------------------------

    def offer(self, stream, first, last):
        """True if this viewer should get the live frame first..last now (and it is counted as sent)."""
        cursor = self.cursor.get(stream)
        if cursor is None or last <= cursor:
            return False
        if stream in self.reading:
            self.missed.add(stream)  # the catch-up running now reads it again
        elif self.full:
            self.behind.add(stream)  # served from the database when the viewer acknowledges
        elif first == cursor + 1:
            self.cursor[stream] = last
            return True
        else:
            self.kick(stream)  # a broadcast was missed or came out of order: read the gap
        return False

    def kick(self, stream=None):
        for s in [stream] if stream else list(self.cursor):
            spawn(self.catch_up(s))

    # Sending ---------------------------------------------------------------------------------

    @property
    def in_flight(self):
        return sum(self.cursor[s] - self.acked[s] for s in self.cursor)

    @property
    def full(self):
        return self.in_flight >= self.WINDOW

    async def catch_up(self, stream):
        """Send what the viewer has not seen of `stream` from the database, as far as the window allows.
        One catch-up per stream at a time; a broadcast arriving meanwhile makes it read once more."""
        if stream in self.reading:
            self.missed.add(stream)
            return
        self.reading.add(stream)
        try:
            await self._catch_up(stream)
        finally:
            self.reading.discard(stream)

    async def _catch_up(self, stream):
        while True:
            self.missed.discard(stream)
            if self.full:
                self.behind.add(stream)
                return
            page = min(self.PAGE, self.WINDOW - self.in_flight)
            if self.mode[stream] == "latest":
                await self.skip_to_latest(stream)
            frames = await database_sync_to_async(read)(
                stream, self.cursor[stream], page, self.room
            )
            if frames:
                self.cursor[stream] = frames[-1]["seq"]
                await self.send_json(
                    {"type": "events", "stream": stream, "events": frames, "replay": True}
                )
            if len(frames) < page and stream not in self.missed:
                self.behind.discard(stream)
                return

    async def skip_to_latest(self, stream):
        latest = (await database_sync_to_async(latest_seqs)(self.room))[stream]
        keep = len(SYMBOLS)
        if latest - self.cursor[stream] > keep:
            after, resume_at = self.cursor[stream], latest - keep + 1
            self.cursor[stream] = self.acked[stream] = resume_at - 1
            await self.send_json(
                {
                    "type": "skipped",
                    "stream": stream,
                    "after": after,
                    "resume_at": resume_at,
                    "count": resume_at - after - 1,
                }
            )


def _words(exc):
    if isinstance(exc, pydantic.ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(map(str, first['loc'])) or 'frame'}: {first['msg']}"
    return str(exc)
