"""Benchmark: a class votes — 200 students vote within 2 s in one room — and how soon the
instructor's page counts each vote, beside the plain feed measured in the same run.

    .venv/bin/python bench/questions.py [--students 200] [--seconds 2] [--pings 30]

Starts its own playground (`manage.py playground`: daphne, a worker, beat, embedded Redis, SQLite on
a throwaway data dir, or throwaway PostgreSQL databases when DATABASE_URL names a server), opens a
room, asks a built-in question and opens voting. Then, all from this process over loopback:
- every student has a page (a /ws/feed/ socket that refreshes as static/js/pages/questions.js
  does) and votes once, at a moment spread evenly over --seconds, with a real HTTP client;
- the instructor's page follows the room's feed (style "questions") and, as questions.js does,
  asks GET /api/rooms/{code}/questions (with the key) when a vote's message arrives.
Checked: every vote answered 200, and the count the API gives is the number of students exactly
(each vote counted once; none lost, none twice).
Measured: for each vote, from its response to the first instructor's answer that counts it
(votes are counted in ledger order, so the k-th vote recorded is in any answer with voted >= k).
Baseline, same run and room: a ping's first hop, from POST /api/ping's response to a feed socket
receiving it (what any live update costs at least). Target: the instructor's p95 < 200 ms.
"""

import argparse
import asyncio
import json
import secrets
import sys
import time

import httpx
import websockets

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import BASE, PORT, pct, start_playground, stop

from bench.feedacks import Acker
from patterns.questions.flow import pseudonym

QUESTION = "queue.spike-all-sent"
# What questions.js follows and how it refreshes (keep in step with it): the instructor's page
# follows the questions' messages and asks at once (one request at a time, one more if messages
# came meanwhile); a student's page follows only outcomes (a question moving on comes as a room
# frame), so a vote is one frame to the instructor, not one to every page in the room.
INSTRUCTOR_FEED, STUDENT_FEED = "style=questions", "kind=question.outcome"
INSTRUCTOR_WAIT, STUDENT_WAIT = 0.0, None


class Page:
    """A page's feed socket in the room: resume, acknowledge, hand each frame's messages on."""

    def __init__(self, room, on_messages, filters):
        self.url = f"ws://127.0.0.1:{PORT}/ws/feed/?room={room}&{filters}"
        self.on_messages = on_messages
        self.ready = asyncio.Event()
        self.acks = Acker()

    async def run(self):
        async with websockets.connect(self.url, origin=BASE, max_size=2**24, open_timeout=30) as ws:
            self.ws = ws
            await ws.send(json.dumps({"type": "resume", "after": None, "backlog": 0}))
            async for raw in ws:
                now = time.monotonic()
                frame = json.loads(raw)
                if frame["type"] != "messages":
                    continue
                self.ready.set()
                if frame["messages"]:
                    self.on_messages(frame["messages"], now)
                    self.acks.frame(ws, frame["cursor"], len(frame["messages"]))


class Instructor:
    """The instructor's page: each vote message makes it ask the API; at most one request in flight."""

    def __init__(self, http, room, key):
        self.http, self.room, self.key = http, room, key
        self.views = []  # (when the answer arrived, how many had voted)
        self.arrived = {}  # ledger id of a vote's message -> (when it reached the feed, voter)
        self.busy, self.again = False, False

    def on_messages(self, messages, now):
        for m in messages:
            if m["kind"] == "question.vote":
                self.arrived[m["id"]] = (now, m["payload"]["voter"])
        self.refresh_soon()

    def refresh_soon(self):
        if self.busy:
            self.again = True
            return
        self.busy = True
        asyncio.ensure_future(self.refresh())

    async def refresh(self):
        await asyncio.sleep(INSTRUCTOR_WAIT)
        while True:
            self.again = False
            answer = await self.http.get(
                f"/api/rooms/{self.room}/questions", headers={"X-Room-Key": self.key}
            )
            self.views.append((time.monotonic(), answer.json()["current"]["voted"]))
            if not self.again:
                break
        self.busy = False


class Student:
    """A student's page and their one vote."""

    def __init__(self, http, room):
        self.http, self.room = http, room
        self.token = secrets.token_hex(12)
        self.pending = None
        self.answered = None  # (monotonic time of the vote's response, status)

    def on_messages(self, messages, now):
        if STUDENT_WAIT is not None and self.pending is None:
            self.pending = asyncio.get_running_loop().call_later(STUDENT_WAIT, self.refresh)

    def refresh(self):
        self.pending = asyncio.ensure_future(
            self.http.get(f"/api/rooms/{self.room}/questions", params={"voter": self.token})
        )
        self.pending.add_done_callback(lambda _: setattr(self, "pending", None))

    async def vote(self, qid, at):
        await asyncio.sleep(max(0, at - time.monotonic()))
        self.sent = time.monotonic()
        answer = await self.http.post(
            f"/api/rooms/{self.room}/questions/{qid}/votes",
            json={"option": secrets.randbelow(3), "voter": self.token},
        )
        self.answered = (time.monotonic(), answer.status_code)


async def connect(pages):
    tasks = []
    for start in range(0, len(pages), 25):  # a class arriving, not one thundering herd
        tasks += [asyncio.create_task(p.run()) for p in pages[start : start + 25]]
        await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in pages)), 60)
    return tasks


async def close(pages, tasks):
    await asyncio.gather(*(p.ws.close() for p in pages), return_exceptions=True)
    await asyncio.gather(*tasks, return_exceptions=True)


async def baseline(http, room, key, pings):
    """A ping's first hop: from POST /api/ping's response to a feed socket in the room."""
    arrived = {}
    page = Page(
        room,
        lambda ms, now: [arrived.setdefault(m["correlation_id"], now) for m in ms],
        "style=ping",
    )
    tasks = await connect([page])
    answered = {}
    for _ in range(pings):
        answer = await http.post(
            "/api/ping", params={"room": room}, headers={"X-Room-Key": key}, json={"note": "bench"}
        )
        answered[answer.json()["correlation_id"]] = time.monotonic()
        await asyncio.sleep(0.1)
    deadline = time.monotonic() + 10
    while set(answered) - set(arrived) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await close([page], tasks)
    return [max(0, arrived[c] - t) * 1000 for c, t in answered.items() if c in arrived]


async def run(args):
    limits = httpx.Limits(max_connections=args.students + 20)
    async with httpx.AsyncClient(base_url=BASE, timeout=60, limits=limits) as http:
        opened = (await http.post("/api/rooms", json={"title": "bench"})).json()
        room, key = opened["code"], opened["control_key"]
        ping_ms = await baseline(http, room, key, args.pings)

        keyed = {"X-Room-Key": key}
        qid = (
            await http.post(
                f"/api/rooms/{room}/questions", headers=keyed, json={"catalogue": QUESTION}
            )
        ).json()["id"]
        instructor = Instructor(http, room, key)
        students = [Student(http, room) for _ in range(args.students)]
        pages = [Page(room, instructor.on_messages, INSTRUCTOR_FEED)]
        pages += [Page(room, s.on_messages, STUDENT_FEED) for s in students]
        tasks = await connect(pages)
        assert (
            await http.post(f"/api/rooms/{room}/questions/{qid}/open", headers=keyed)
        ).status_code == 200
        await asyncio.sleep(0.5)  # the "opened" message's refreshes are not the votes'
        start = time.monotonic()
        spread = args.seconds / args.students
        await asyncio.gather(*(s.vote(qid, start + i * spread) for i, s in enumerate(students)))
        took = time.monotonic() - start
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            not instructor.views or instructor.views[-1][1] < args.students
        ):
            await asyncio.sleep(0.05)
        await close(pages, tasks)
        for s in students:  # a page's refresh still under way
            if s.pending is not None:
                s.pending.cancel()
        final = (await http.get(f"/api/rooms/{room}/questions/{qid}/results", headers=keyed)).json()

    by_voter = {pseudonym(s.token): s for s in students}
    ok_votes = sum(1 for s in students if s.answered and s.answered[1] == 200)
    counted = sum(final["rounds"][0]["counts"])
    count_ms, feed_ms = [], []
    for k, message_id in enumerate(sorted(instructor.arrived), start=1):
        arrived, voter = instructor.arrived[message_id]
        answered = by_voter[voter].answered[0]
        feed_ms.append(max(0, arrived - answered) * 1000)
        seen = next((t for t, voted in instructor.views if voted >= k), None)
        if seen is not None:
            count_ms.append(max(0, seen - answered) * 1000)
    return {
        "students": args.students,
        "took": took,
        "ok_votes": ok_votes,
        "voted": final["voted"],
        "counted": counted,
        "vote_messages": len(instructor.arrived),
        "requests": len(instructor.views),
        "count_ms": count_ms,
        "feed_ms": feed_ms,
        "ping_ms": ping_ms,
        "vote_ms": [(s.answered[0] - s.sent) * 1000 for s in students if s.answered],
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=2)
    parser.add_argument("--pings", type=int, default=30)
    parser.add_argument(
        "--before",
        action="store_true",
        help="pages as questions.js had them: every page followed the votes, asked 250 ms later",
    )
    args = parser.parse_args()
    if args.before:
        global STUDENT_FEED, INSTRUCTOR_WAIT, STUDENT_WAIT
        STUDENT_FEED, INSTRUCTOR_WAIT, STUDENT_WAIT = INSTRUCTOR_FEED, 0.25, 0.25
    process = start_playground("--workers", "1", env={"LOG_LEVEL": "WARNING"})
    try:
        r = asyncio.run(run(args))
    finally:
        stop([process], timeout=30)

    def line(name, values):
        return f"  {name:<34} p50 {pct(values, 50):6.0f} ms   p95 {pct(values, 95):6.0f} ms   ({len(values)})"

    exact = r["ok_votes"] == r["voted"] == r["counted"] == r["vote_messages"] == r["students"]
    print(
        f"{r['students']} students voted in {r['took']:.2f} s: {r['ok_votes']} answered 200, the API counts "
        f"{r['voted']} voters and {r['counted']} votes, the instructor's feed brought {r['vote_messages']} "
        f"vote messages; the instructor's page asked {r['requests']} times"
    )
    print(line("a vote's request -> its response", r["vote_ms"]))
    print(line("baseline: ping -> feed socket", r["ping_ms"]))
    print(line("a vote's message -> instructor feed", r["feed_ms"]))
    print(line("a vote -> the instructor's count", r["count_ms"]))
    ratio = pct(r["count_ms"], 95) / max(pct(r["ping_ms"], 95), 1e-9)
    met = pct(r["count_ms"], 95) < 200
    print(
        f"  instructor's count p95 / baseline p95 = {ratio:.1f} | each vote counted exactly once: "
        f"{'yes' if exact else 'NO'} | p95 < 200 ms: {'met' if met else 'MISSED'} | "
        f"{'PASS' if exact and met else 'FAIL'}"
    )
    sys.exit(0 if exact and met else 1)


if __name__ == "__main__":
    main()
