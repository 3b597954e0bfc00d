"""The doorbell: after a commit, tell every open page "the ledger has new rows".

It may drop (channels_redis drops silently over capacity; Redis may be down): pages resume from
the ledger, so a lost ring costs latency, never a message. A ring carries `prev_id`, the largest
id before these rows *in the same room*, and the rows themselves; a page whose cursor equals
`prev_id` can apply them without asking the database, any other page catches up from it.

Each room rings its own group (roomctx.group_for: "ledger" for the shared demo, "ledger.room.CODE"
for a room), so a page hears only its room's traffic and several rooms share a server quietly.

Each process has one sender thread with its own event loop, so recording never waits on Redis
and the channel layer keeps one connection pool (a new loop per send would open a new one).
"""

import asyncio
import atexit
import logging
import os
import queue
import threading

from channels.layers import get_channel_layer

from patterns.ledger.roomctx import group_for

GROUP = "ledger"
MAX_INLINE_BYTES = 64_000  # larger rings carry ids only; pages then read the rows themselves
log = logging.getLogger(__name__)


class _Sender:
    def __init__(self):
        self.pid = os.getpid()
        self.queue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="ledger-doorbell", daemon=True)
        self.thread.start()

    def _run(self):
        loop = asyncio.new_event_loop()
        layer = get_channel_layer()
        while True:
            batch = [self.queue.get()]
            while not self.queue.empty() and len(batch) < 500:
                batch.append(self.queue.get_nowait())
            items = [item for item in batch if item is not None]
            events = [(item[1], item[2]) for item in items if item[0] == "event"]
            for group, ring in _chains([item for item in items if item[0] != "event"]) + events:
                try:
                    loop.run_until_complete(layer.group_send(group, ring))
                except Exception as exc:  # a doorbell may drop; pages resume from the ledger
                    log.warning("ledger doorbell not sent (%s); pages will catch up", exc)
            if any(item is None for item in batch):
                return

    def flush(self, timeout=2.0):
        """Send what is queued, then stop (the next ring starts a new sender)."""
        self.queue.put(None)
        self.thread.join(timeout)


def chain(rings):
    """Doorbell rings of one group -> as few rings as possible: a ring whose `prev_id` is the one
    before's `last_id` joins it, when both carry their rows. Rings from two processes can arrive
    out of order, so they are sorted by `prev_id` first. The rings given stay as they were.

    The one rule for both ends: the sender chains what it rings at once, the feed hub what it
    hears at once."""
    chained = []
    for ring in sorted(rings, key=lambda r: r["prev_id"]):
        last = chained[-1] if chained else None
        if (
            last is not None
            and last["last_id"] == ring["prev_id"]
            and last["messages"] is not None
            and ring["messages"] is not None
        ):
            last["messages"].extend(ring["messages"])
            last["last_id"] = ring["last_id"]
        else:
            messages = ring["messages"]
            chained.append(dict(ring, messages=None if messages is None else list(messages)))
    return chained


def _chains(batch):
    """[(group, prev_id, rows)] -> [(group, ring)], each group's rings chained; a ring too large
    to carry its rows carries ids only."""
    by_group = {}
    for group, prev_id, rows in batch:
        ring = {
            "type": "ledger.doorbell",
            "prev_id": prev_id,
            "last_id": rows[-1]["id"],
            "messages": rows,
        }
        by_group.setdefault(group, []).append(ring)
    rings = [(group, ring) for group, pending in by_group.items() for ring in chain(pending)]
    for _, ring in rings:
        if len(repr(ring["messages"])) > MAX_INLINE_BYTES:
            ring["messages"] = None
    return rings


_sender = None
_lock = threading.Lock()


def _get_sender():
    global _sender
    with _lock:
        # A forked process (a Celery pool worker) does not inherit the thread: start its own.
        if _sender is None or _sender.pid != os.getpid() or not _sender.thread.is_alive():
            _sender = _Sender()
        return _sender


def ring(prev_id, messages, room=""):
    """Queue a ring for one room's rows just committed (called from transaction.on_commit);
    `prev_id` is that room's largest id before them."""
    _get_sender().queue.put((group_for(room), prev_id, [m.to_dict() for m in messages]))


def send_to_room(room, event):
    """Send a non-ledger event (a room's speed, pause, reset …) to every page in the room."""
    _get_sender().queue.put(("event", group_for(room), event))


@atexit.register
def _flush_at_exit():
    # A short-lived process (`manage.py fire`) would otherwise exit before its ring is sent.
    if _sender is not None and _sender.pid == os.getpid():
        _sender.flush()
