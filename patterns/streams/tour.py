"""The guided tour of this style: its steps, fired through the style's own public API."""

from patterns.site.lessons import DO, LOG, STAGE, act, step

TOUR = {
    "title": "The live chat",
    "summary": "Everyone stays connected and every line arrives the moment it is said — and after a drop, the rest.",
    "cleanup": [act("POST", "/api/streams/ticker", {"action": "stop"})],
    "steps": [
        step(
            "Staying on the line",
            "Streaming is a live chat: instead of asking again and again, everyone keeps "
            "a connection open, and every line is pushed to everyone the moment it is said.",
            highlight=STAGE,
        ),
        step(
            "Say something",
            "You post a line to the chat. It is stored with the next sequence number, then "
            "pushed to every connected page at once — this one included.",
            do=[
                act("POST", "/api/streams/chat/messages", {"nick": "Tour", "text": "Hello, class!"})
            ],
            expect={"published": 1},
            highlight=STAGE,
        ),
        step(
            "Someone answers",
            "Another viewer replies. Nobody polled for it: it simply arrives, in order.",
            do=[
                act(
                    "POST",
                    "/api/streams/chat/messages",
                    {"nick": "Ada", "text": "Hi! I can see it live."},
                )
            ],
            expect={"published": 1},
            highlight=LOG,
        ),
        step(
            "A stream that never stops",
            "The stock ticker starts: five prices a second, each one pushed as it "
            "happens. Watch the dots flow without a single request from this page.",
            do=[act("POST", "/api/streams/ticker", {"action": "start", "rate": 5})],
            expect={"sent": 1, "published": 5},
            highlight=STAGE,
        ),
        step(
            "Quiet again",
            "The ticker stops. The connection stays open, costing a little all the time — the "
            "price of hearing instantly.",
            do=[act("POST", "/api/streams/ticker", {"action": "stop"})],
            expect={"sent": 1},
            highlight=DO,
        ),
        step(
            "When to use it",
            "Use streams for live things: chat, prices, scores, dashboards. No stale data and "
            "no wasted questions — but every viewer holds a connection, and a reconnect must resume where it left off.",
        ),
    ],
}
