"""The guided tour of this style: its steps, fired through the style's own public API."""

from patterns.site.lessons import BREAK, DO, LOG, STAGE, act, step

TOUR = {
    "title": "The queue at the counter",
    "summary": "Work waits in line and workers take it one job at a time: nobody is turned away.",
    "cleanup": [act("POST", "/api/queue/workers", {"action": "resume"})],
    "steps": [
        step(
            "The line",
            "A message queue is the line at a counter: you take a ticket, you are told "
            "“we'll get to it”, and the clerks behind the counter serve everyone in turn.",
            highlight=STAGE,
        ),
        step(
            "Take a ticket",
            "Someone signs up. The site answers at once and puts “send a welcome email” "
            "in the queue; a worker picks it up a moment later and sends it.",
            do=[act("POST", "/api/queue/signup", {"mode": "queued"})],
            expect={"queued": 1, "done": 1},
            highlight=DO,
        ),
        step(
            "A rush",
            "Thirty page views arrive at once. They all join the line in a blink; the two "
            "workers drain it at their own pace. The site never had to say no.",
            do=[act("POST", "/api/queue/jobs", {"kind": "analytics", "count": 30})],
            expect={"queued": 30, "done": 30},
            highlight=STAGE,
        ),
        step(
            "The clerks take a break",
            "The workers stop taking jobs. Three emails are queued anyway: "
            "nothing is lost, they simply wait in line.",
            do=[
                act("POST", "/api/queue/workers", {"action": "pause"}),
                act("POST", "/api/queue/jobs", {"kind": "email", "count": 3}),
            ],
            expect={"queued": 3},
            highlight=BREAK,
        ),
        step(
            "Back to work",
            "The workers come back and serve the waiting emails in turn.",
            do=[act("POST", "/api/queue/workers", {"action": "resume"})],
            expect={"done": 3},
            highlight=LOG,
        ),
        step(
            "Try, try again",
            "This email fails twice (say, the mail server is busy). The worker puts it "
            "back with a growing pause between tries, and the third try succeeds.",
            do=[act("POST", "/api/queue/jobs", {"kind": "email", "fail_times": 2})],
            expect={"failed": 2, "retry-scheduled": 2, "done": 1},
            highlight=LOG,
            wait_note="waiting for the retries (a few seconds of story back-off)…",
        ),
    ],
}
