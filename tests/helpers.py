"""Helpers for every test: `eventually` (the one way to wait), `hops` (the ledger's rows of one
style), and a feed client over a real WebSocket for tests that talk to a real daphne."""

import json
import time

from websockets.sync.client import connect

from patterns.ledger.models import Message
from patterns.ledger.recorder import record


def eventually(predicate, timeout=20, interval=0.05, message="condition"):
    """Call `predicate` until it returns something true, and return that; fail after `timeout`
    seconds. `message` (or a function returning it, asked only on failure) says what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"timed out after {timeout} s waiting for {message() if callable(message) else message}"
            )
        time.sleep(interval)


def hops(style, hop=None, **filters):
    """The ledger's rows of one style (and hop), oldest first."""
    rows = Message.objects.filter(style=style, **filters)
    return rows.filter(hop=hop) if hop else rows


def record_pings(n, **extra):
    """Record n simple ledger rows (style ping) and return their ids."""
    fields = {"style": "ping", "kind": "test", "hop": "sent", "source": "a", "target": "b", **extra}
    return [record(**fields).id for _ in range(n)]


class FeedClient:
    """A page's feed connection, as a test sees it: resume, collect messages, acknowledge."""

    def __init__(self, server, query="", after=None, backlog=0, ack=True, origin=None):
        self.url = f"{server.ws_url}/ws/feed/{'?' + query if query else ''}"
        self.origin, self.after, self.backlog, self.ack = (
            origin or server.origin,
            after,
            backlog,
            ack,
        )
        self.messages, self.frames, self.cursor = [], [], None

    def __enter__(self):
        self.ws = connect(self.url, origin=self.origin, open_timeout=10, max_size=2**24)
        self.send({"type": "resume", "after": self.after, "backlog": self.backlog})
        return self

    def __exit__(self, *exc):
        self.ws.close()

    def send(self, frame):
        self.ws.send(json.dumps(frame))

    def receive(self, timeout):
        frame = json.loads(self.ws.recv(timeout=timeout))
        self.frames.append(frame)
        if frame["type"] == "messages":
            self.messages += frame["messages"]
            self.cursor = frame["cursor"]
            if self.ack and frame["messages"]:
                self.send({"type": "ack", "cursor": frame["cursor"]})
        return frame

    def wait_ready(self, timeout=10):
        """Until the first frame (the answer to resume) has come."""
        while self.cursor is None:
            self.receive(timeout)
        return self

    def receive_until(self, predicate, timeout, message):
        """Receive frames until `predicate()` holds."""

        def arrived():
            if not predicate():
                try:
                    self.receive(0.5)
                except TimeoutError:
                    pass
            return predicate()

        eventually(arrived, timeout=timeout, interval=0, message=message)

    def collect(self, count, timeout=30):
        """Receive until `count` messages have come in all (or fail after `timeout` seconds)."""
        self.receive_until(
            lambda: len(self.messages) >= count,
            timeout,
            lambda: f"{count} messages (got {len(self.messages)})",
        )
        return self.messages

    def settle(self, timeout=10):
        """Ask the server to catch up (a heartbeat, "sync") and receive until its "pong"; return
        the messages that came before it. The server answers after reading the ledger past this
        page's cursor, under the page's one lock, so whatever it still owed, or would send again,
        comes before the pong; and a ring for rows the page already has is ignored after it (its
        cursor is past them). How a test shows that nothing more arrives, without sleeping."""
        before, start = len(self.messages), len(self.frames)
        self.send({"type": "sync"})
        self.receive_until(
            lambda: any(f["type"] == "pong" for f in self.frames[start:]), timeout, "the pong"
        )
        return self.messages[before:]


def demo_state(world):
    """Every piece of every style's demo state in `world` ("" = the shared demo), as its Reset
    reads it: what a test compares before and after to prove that a world was left alone."""
    import importlib

    from patterns.ledger.roomctx import in_room
    from patterns.site import styles

    state = {}
    with in_room(world):
        for config in styles.declared():
            reset = config.part("reset")
            pieces = (
                getattr(importlib.import_module(reset.__module__), "PIECES", ()) if reset else ()
            )
            for piece in pieces:
                state[f"{config.label}.{piece.name}"] = piece.read()
    return state
