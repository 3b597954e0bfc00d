"""Acknowledge feed frames the way a page does (static/js/feed.js), for the benchmarks' clients.

The server keeps at most FeedConsumer.WINDOW messages in flight to a page; an ack only lets it
send more. So a page acks once ACK_DELAY after the first unacknowledged frame, or at once past
ACK_AT_ONCE messages — not after every frame, which doubled the frames a web process handled.
"""

import asyncio
import json

from websockets.protocol import State

ACK_DELAY, ACK_AT_ONCE = 0.25, 500  # the same figures as static/js/feed.js


class Acker:
    def __init__(self):
        self.timer, self.cursor, self.unacked = None, None, 0

    def frame(self, ws, cursor, count):
        """A "messages" frame with `count` messages up to `cursor` was handled."""
        self.cursor, self.unacked = cursor, self.unacked + count
        if self.unacked >= ACK_AT_ONCE:
            self.send(ws)
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(ACK_DELAY, self.send, ws)

    def send(self, ws):
        self.cancel()
        if ws.state is State.OPEN:  # a timer may outlive the connection
            asyncio.ensure_future(ws.send(json.dumps({"type": "ack", "cursor": self.cursor})))

    def cancel(self):
        """A new connection starts with nothing in flight."""
        if self.timer is not None:
            self.timer.cancel()
        self.timer, self.unacked = None, 0
