"""A stream: a live board holds a WebSocket open to the hub; Shop's line arrives the moment it exists."""

import json
import time
from datetime import UTC, datetime

from django.conf import settings

from patterns.ledger.roomctx import world

from . import register
from .base import Lane, LaneResult

RECEIVE_SECONDS = 5.0


def ws_url():
    """The board watches the streams of the world the run is in (each world has its own chat)."""
    room = f"?room={world()}" if world() else ""
    return settings.PLAYGROUND_BASE_URL.replace("http", "ws", 1) + "/ws/streams/" + room


def watch(after, seq_wanted, send=None):
    """Connect as a viewer, subscribe to chat after `after`, optionally do `send()`; the time the
    frame with `seq_wanted` (or, when None, the seq `send()` returned) arrived, or None."""
    from websockets.sync.client import connect

    with connect(
        ws_url(), origin=settings.PLAYGROUND_BASE_URL, open_timeout=3, close_timeout=1
    ) as ws:
        ws.recv(timeout=3)  # welcome
        ws.send(json.dumps({"type": "subscribe", "streams": {"chat": {"after": after}}}))
        if send is not None:
            seq_wanted = send()
        deadline = time.monotonic() + RECEIVE_SECONDS
        while seq_wanted and time.monotonic() < deadline:
            frame = json.loads(ws.recv(timeout=max(0.05, deadline - time.monotonic())))
            if frame.get("type") == "events" and frame.get("stream") == "chat":
                ws.send(
                    json.dumps({"type": "ack", "stream": "chat", "seq": frame["events"][-1]["seq"]})
                )
                if any(e["seq"] >= seq_wanted for e in frame["events"]):
                    return datetime.now(UTC), frame.get("replay", False)
    return None, False


class LiveStream(Lane):
    key = "streams"
    title = "Live stream"
    consumer = "Tracking's live board"
    how = "Tracking's board keeps a WebSocket open; Shop's “order shipped” line is pushed to it as it happens."
    coupling = 3
    coupling_text = "Medium: both must be connected at the same time; a viewer that drops must resume by sequence number."
    fault = "Viewer offline"
    fault_key = "viewer_offline"
    idle_cost = "an open connection per viewer, all the time"

    def _post(self, run, wire, notes):
        body = {
            "nick": "Shop",
            "text": f"Order {run.order_id} shipped (DHL)",
            "id": f"cmp{run.id:04d}-ship",
        }
        status, answer = wire.call(
            "POST", "/api/streams/chat/messages", body, {"X-Client-Id": "shop"}
        )
        if status != 201:
            notes["error"] = f"the line was refused ({status}): {(answer or {}).get('detail', '')}"
            return None
        notes["seq"], notes["uid"] = answer["seq"], answer["uid"]
        return answer["seq"]

    def start(self, run, wire, notes, faulty):
        status, info = wire.call("GET", "/api/streams/status")
        notes["after"] = ((info or {}).get("latest") or {}).get("chat", 0)
        if faulty:  # the board is offline: the line is published to nobody … for now
            self._post(run, wire, notes)
            return
        try:
            at, _ = watch(notes["after"], None, send=lambda: self._post(run, wire, notes))
        except (OSError, TimeoutError, ValueError) as exc:
            notes["error"] = f"the board could not stay connected: {exc}"
            return
        if at:
            notes["learned_at"], notes["frames"] = at.isoformat(), 1

    def lift(self, run, wire, notes):
        notes["reconnect"] = True

    def tick(self, run, wire, notes, now):
        if not notes.get("reconnect") or notes.get("learned_at") or not notes.get("seq"):
            return
        notes["reconnect"] = False  # one try a lift: it resumes after the last seq it saw
        try:
            at, replay = watch(notes["after"], notes["seq"])
        except (OSError, TimeoutError, ValueError) as exc:
            notes["error"] = f"the board could not reconnect: {exc}"
            return
        if at:
            notes["learned_at"], notes["frames"], notes["replayed"] = at.isoformat(), 1, replay

    def measure(self, run, notes):
        uid = notes.get("uid")
        rows = list(self.rows(run, style="streams", uid=uid)) if uid else []
        result = LaneResult(
            calls=len(rows) + notes.get("frames", 0),
            messages=len(rows),
            correlation_ids=[r.correlation_id for r in rows],
        )
        if notes.get("learned_at"):
            result.learned_at = datetime.fromisoformat(notes["learned_at"])
        if self.key in run.faults:
            result.broke = (
                "The board was offline when the line was published; it saw nothing until it "
                "reconnected and resumed after the last sequence number it had seen."
            )
        elif notes.get("error"):
            result.broke = notes["error"]
        return result


register(LiveStream())
