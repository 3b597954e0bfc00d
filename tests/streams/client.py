"""A viewer of /ws/streams/, as a test sees it: subscribe, collect events per stream, acknowledge;
and a wait for the producer's next tick."""

import json

from websockets.sync.client import connect

from tests.helpers import eventually


class Viewer:
    def __init__(self, server, streams, ack=True, origin=None, room=""):
        self.url = f"{server.ws_url}/ws/streams/" + (f"?room={room}" if room else "")
        self.origin, self.ack = origin or server.origin, ack
        self.subscription = streams  # {stream: {"after": n|None, "replay": …}}
        self.seqs = {s: [] for s in streams}
        self.frames = []

    def __enter__(self):
        self.ws = connect(self.url, origin=self.origin, open_timeout=10, max_size=2**24)
        self.welcome = self.receive(10)
        self.send({"type": "subscribe", "streams": self.subscription})
        return self

    def __exit__(self, *exc):
        self.ws.close()

    def send(self, frame):
        self.ws.send(frame if isinstance(frame, str) else json.dumps(frame))

    def receive(self, timeout):
        frame = json.loads(self.ws.recv(timeout=timeout))
        self.frames.append(frame)
        if frame["type"] == "events":
            self.seqs[frame["stream"]] += [e["seq"] for e in frame["events"]]
            if self.ack:
                self.send(
                    {"type": "ack", "stream": frame["stream"], "seq": frame["events"][-1]["seq"]}
                )
        return frame

    def until(self, predicate, timeout=20, what="a frame"):
        """Receive frames until `predicate()` holds."""

        def arrived():
            if not predicate():
                try:
                    self.receive(0.5)
                except TimeoutError:
                    pass
            return predicate()

        eventually(
            arrived,
            timeout=timeout,
            interval=0,
            message=lambda: f"{what}; last frames: {self.frames[-3:]}",
        )
        return self

    def collect(self, stream, upto, timeout=30):
        return self.until(
            lambda: self.seqs[stream] and self.seqs[stream][-1] >= upto,
            timeout,
            f"{stream} #{upto}",
        )

    def next_of(self, kind, timeout=10):
        start = len(self.frames)
        self.until(
            lambda: any(f["type"] == kind for f in self.frames[start:]), timeout, f"a {kind} frame"
        )
        return next(f for f in self.frames[start:] if f["type"] == kind)


def producer_ticked(r):
    """Until the producer has begun a tick after this call, so every tick that began before it
    (and read the controls as they were then) has finished. A tick first renews the producer's
    key, then reads the controls."""
    r.delete("streams:producer")
    eventually(lambda: r.exists("streams:producer"), timeout=10, message="the producer's next tick")
