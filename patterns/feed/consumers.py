"""The live feed: one WebSocket per page at /ws/feed/.

Protocol (JSON frames):
  page -> server  {"type": "resume", "after": <ledger id> | null, "backlog": n, "count": bool}
                  {"type": "ack", "cursor": id}   after the page has handled a "messages" frame
                  {"type": "sync"}                a heartbeat; the server catches up and answers "pong"
  server -> page  {"type": "messages", "cursor": id, "messages": [...], "total"?: n}
                  {"type": "pong", "cursor": id}
                  {"type": "error", "error": code, "detail": text}
                  {"type": "room", "speed"?, "paused"?, "step"?, "reset"?, …}  (pages in a room)

With `?room=CODE` the page joins that room's group and sees only its messages; without, the
shared demo (messages recorded outside any room). The socket guard (patterns.rooms.sockets) has
checked the room and put it in `scope["world"]`; a socket naming no known room never gets here.

The page keeps the cursor (the last ledger id it has seen) and sends it when it (re)connects;
the server replays what came after it from the database, then follows the doorbell. At most
WINDOW messages are in flight to one page: a slow page is served from the database when it
acknowledges, so the server never buffers without bound.
"""

import asyncio
import json

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.http import QueryDict

from patterns.ledger import query
from patterns.ledger.roomctx import group_for

from .hub import Hub
from .sockets import PlaygroundConsumer


class FeedConsumer(PlaygroundConsumer):
    PAGE = 500
    WINDOW = 2000
    MAX_BACKLOG = 500

    async def connect(self):
        self.cursor = None
        self.unacked = []  # (cursor, number of messages) per frame not yet acknowledged
        self.behind = False
        # The hub calls ledger_doorbell from its own task, beside this page's own frames (resume,
        # ack, sync). Two reads of the ledger after one cursor at once sent the same rows twice
        # (CI: a resume and a ring together doubled 10 messages). One read at a time: the page's
        # own work waits for the lock; the hub never does — a ring that finds the page busy is
        # noted in `missed`, and the page reads again when it is done.
        self.lock = asyncio.Lock()
        self.missed = False
        await self.accept()
        try:
            params = QueryDict(self.scope.get("query_string", b"").decode("latin-1"))
            filters = query.clean_filters(params.dict())
        except query.BadFilter as exc:
            await self.send_error("bad_filter", exc.detail)
            await self.close(code=4400)
            return
        # One group per room: a page hears only its room's doorbell ("ledger" = the shared demo).
        # Its world is the one the guard checked, never a `room` filter as typed.
        self.room = self.scope.get("world", "")
        self.filters = {**filters, "room": self.room}
        self.group = group_for(self.room)
        await Hub.join(get_channel_layer(), self.group, self)

    async def dispatch(self, message):
        # Channels closes stale database connections before every event it hands a consumer
        # (a hop to the database thread each time). A page acknowledges every frame, so a room
        # of 200 pages paid that hop thousands of times a second (py-spy: a tenth of the web
        # process). The feed touches the database only through database_sync_to_async, which
        # closes stale connections itself, so the hop is skipped here.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def release(self):
        if getattr(self, "group", None):
            await Hub.leave(self.group, self)

    async def room_event(self, event):
        """A room's instructor changed speed, paused, stepped or reset: pass it to the page."""
        await self.send_json({"type": "room", **event["room"]})

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        try:
            if kind == "resume":
                await self.exclusively(self.resume, content)
            elif kind == "ack":
                self.acknowledge(query.parse_int("cursor", content.get("cursor")))
                if self.behind and not self.full:
                    await self.exclusively(self.catch_up)
            elif kind == "sync":
                await self.exclusively(self.catch_up)
                await self.send_json({"type": "pong", "cursor": self.cursor})
            else:
                await self.send_error("unknown_type", "type must be resume, ack or sync")
        except query.BadFilter as exc:
            await self.send_error("bad_request", exc.detail)

    async def exclusively(self, work, *args):
        """Run the page's own read of the ledger alone, then take in the rings that came meanwhile."""
        async with self.lock:
            await work(*args)
            while self.missed:
                self.missed = False
                await self.catch_up()

    async def resume(self, content):
        backlog = query.parse_int("backlog", content.get("backlog", 0), 0, self.MAX_BACKLOG)
        after = content.get("after")
        top, rows, total = await self.read_start(backlog, content.get("count") is True)
        if after is not None:
            after = query.parse_int("after", after)
        if after is None or after > top:
            # A new page, or a cursor from a ledger that was reset since: start from the latest.
            self.cursor, self.unacked = top, []
            frame = {
                "type": "messages",
                "cursor": top,
                "messages": rows,
                "reset": after is not None,
            }
            if total is not None:
                frame["total"] = total
            await self.send_json(frame)
            return
        self.cursor = after
        if total is not None:
            await self.send_json(
                {"type": "messages", "cursor": after, "messages": [], "total": total}
            )
        await self.catch_up()

    def acknowledge(self, cursor):
        self.unacked = [(c, n) for c, n in self.unacked if c > cursor]

    @property
    def full(self):
        return sum(n for _, n in self.unacked) >= self.WINDOW

    async def ledger_doorbell(self, event):
        if self.lock.locked():  # the page is reading the ledger itself: it reads again after
            self.missed = True
            return
        if self.cursor is None or event["last_id"] <= self.cursor:
            return
        async with self.lock:
            await self.take_ring(event)

    async def take_ring(self, event):
        if self.full:
            self.behind = True  # caught up from the database when the page acknowledges
        elif event["prev_id"] == self.cursor and event["messages"] is not None:
            # Pages with the same filters get the same frame: encode it once per ring (a room of
            # 200 pages would otherwise encode it 200 times).
            frames = event.setdefault("_frames", {})
            key = tuple(sorted(self.filters.items()))
            if key not in frames:
                rows = [row for row in event["messages"] if query.matches(row, self.filters)]
                text = self.encode_frame(rows, event["last_id"]) if rows else None
                frames[key] = (len(rows), text)
            count, text = frames[key]
            self.cursor = event["last_id"]
            if count:
                self.unacked.append((self.cursor, count))
                await self.send(text_data=text)
        else:
            # Rings from two processes (web, worker) can arrive out of order: then every page in
            # the room reads the ledger. Pages at the same cursor with the same filters share one
            # read per ring, instead of a room of 200 queueing 200 reads on the database thread.
            if self.full:
                self.behind = True
                return
            # The frame is encoded once per read too: one out-of-order ring after a spike (up to
            # 500 rows) was encoded again for each of a process's 100 pages, a fifth of the event
            # loop under bench/load.py.
            reads = event.setdefault("_reads", {})
            key = (self.cursor, tuple(sorted(self.filters.items())))
            if key not in reads:
                rows, cursor, more = await self.read_after(self.cursor)
                reads[key] = rows, cursor, more, self.encode_frame(rows, cursor) if rows else None
            rows, cursor, more, text = reads[key]
            await self.push(rows, cursor, text)
            if more:
                await self.catch_up()

    async def catch_up(self):
        """Send everything after the cursor from the database, a page at a time, window allowing."""
        if self.cursor is None:
            return
        while not self.full:
            rows, cursor, more = await self.read_after(self.cursor)
            await self.push(rows, cursor)
            if not more:
                self.behind = False
                return
        self.behind = True

    @staticmethod
    def encode_frame(rows, cursor):
        return json.dumps({"type": "messages", "cursor": cursor, "messages": rows})

    async def push(self, rows, cursor, text=None):
        self.cursor = cursor
        if rows:  # a page with filters need not hear about every message it does not show
            self.unacked.append((cursor, len(rows)))
            await self.send(text_data=text or self.encode_frame(rows, cursor))

    @database_sync_to_async
    def read_after(self, after):
        top = query.last_id(self.room)
        rows = list(query.messages(self.filters, after, self.room).filter(id__lte=top)[: self.PAGE])
        if len(rows) == self.PAGE:
            return [r.to_dict() for r in rows], rows[-1].id, True
        return [r.to_dict() for r in rows], top, False

    @database_sync_to_async
    def read_start(self, backlog, count):
        top = query.last_id(self.room)
        matching = query.messages(self.filters, world=self.room).filter(id__lte=top)
        rows = (
            [r.to_dict() for r in reversed(matching.order_by("-id")[:backlog])] if backlog else []
        )
        return top, rows, (matching.count() if count else None)
