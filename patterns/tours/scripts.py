"""The guided tours: one short lesson per style, as data (served by GET /api/tours/…).

A step says one or two sentences, may fire real actions through the style's own public API
(the endpoints its page's buttons use) and names the ledger hops those actions must produce
(`expect`: hop -> at least how many). `highlight` points at a part of the style page.
`cleanup` runs when a tour ends or is left, so a tour never leaves a style broken.
"""


def act(method, path, body=None):
    return {"method": method, "path": path, "body": body}


def step(title, say, *, do=(), expect=None, highlight="", wait_note=""):
    return {"title": title, "say": say, "actions": list(do), "expect": expect or {},
            "highlight": highlight, "wait_note": wait_note}


STAGE, DO, BREAK, LOG = "[data-stage]", '[data-controls="do"]', '[data-controls="break"]', "[data-log]"
SHOP_42 = act("POST", "/api/api/console", {"method": "GET", "path": "/api/shop/orders/42"})

TOURS = {
    "api": {
        "title": "Asking at the counter",
        "summary": "A client asks Shop's REST API, waits, and gets an answer — or learns what went wrong.",
        "cleanup": [act("PUT", "/api/api/shop-mode", {"mode": "healthy"})],
        "steps": [
            step("The counter", "A request/response API is like asking at a counter: you walk up, ask one "
                 "question and wait while the clerk answers. On the stage, callers on the left ask Shop on the right.",
                 highlight=STAGE),
            step("Ask one question", "The app asks: “how is order 42?” — one GET request. Shop looks it up and "
                 "answers 200 with the order. Two dots: the question, then the answer.",
                 do=[SHOP_42], expect={"request": 1, "response": 1}, highlight=STAGE),
            step("Ask Shop to do something", "Now the app places an order: a POST with a JSON body. Shop checks "
                 "the body against its contract and answers 201 Created with the new order.",
                 do=[act("POST", "/api/api/orders", {})], expect={"request": 1, "response": 1}, highlight=DO),
            step("Ask for something that is not there", "The clerk can also say no. Order 999999 does not "
                 "exist, so Shop answers 404 — a clear status code, not silence.",
                 do=[act("POST", "/api/api/console", {"method": "GET", "path": "/api/shop/orders/999999"})],
                 expect={"request": 1, "response": 1}, highlight=LOG),
            step("The counter is closed", "Shop goes down. The app asks again and nobody answers: the "
                 "connection is refused. The client must be there, and Shop must be there, at the same moment.",
                 do=[act("PUT", "/api/api/shop-mode", {"mode": "down"}), SHOP_42], expect={"refused": 1},
                 highlight=BREAK),
            step("Open again", "Shop is back; the same question gets its answer at once. Notice what the app "
                 "never hears about: news. To learn that order 42 shipped, it has to keep asking (polling).",
                 do=[act("PUT", "/api/api/shop-mode", {"mode": "healthy"}), SHOP_42],
                 expect={"request": 1, "response": 1}, highlight=STAGE),
        ],
    },
    "files": {
        "title": "The letter",
        "summary": "Shop leaves a CSV at midnight; Accounting reads it in the morning — hours later, all at once.",
        "cleanup": [],
        "steps": [
            step("Leaving a letter", "A file drop is leaving a letter instead of having a conversation: Shop "
                 "writes every order into a CSV and puts it in a folder; Accounting reads it when it gets round to it.",
                 highlight=STAGE),
            step("Write the letter", "Shop exports its orders now: the CSV is written under a temporary name, "
                 "then renamed, then a manifest with its checksum is added — so nobody reads half a letter.",
                 do=[act("POST", "/api/files/export", {})], expect={"write": 1, "deliver": 1}, highlight=STAGE),
            step("Open the mail", "Accounting checks its inbox, checks the file against the manifest and the "
                 "agreed columns, and books every row. Nobody talked: the file was the whole conversation.",
                 do=[act("POST", "/api/files/pickup")], expect={"check": 1, "read": 1}, highlight=LOG),
            step("A word crossed out", "Shop renames a column in its export (total becomes amount). Accounting "
                 "finds out only when it reads the file — and rejects the whole letter, with a report saying why.",
                 do=[act("POST", "/api/files/demo", {"scenario": "schema_change"})], expect={"write": 1, "read": 1},
                 highlight=BREAK),
            step("A torn letter", "Shop's writer dies half-way through a file it writes straight into the inbox, "
                 "with no temporary name and no manifest. Accounting sees no manifest and leaves it alone.",
                 do=[act("POST", "/api/files/demo", {"scenario": "partial"})], expect={"write": 1, "check": 1},
                 highlight=BREAK),
            step("When to use it", "Use files between organisations and older systems, for daily batches: cheap, "
                 "simple, nobody needs to be up at the same time. The price: the news is hours old when it arrives."),
        ],
    },
    "streams": {
        "title": "The live chat",
        "summary": "Everyone stays connected and every line arrives the moment it is said — and after a drop, the rest.",
        "cleanup": [act("POST", "/api/streams/ticker", {"action": "stop"})],
        "steps": [
            step("Staying on the line", "Streaming is a live chat: instead of asking again and again, everyone keeps "
                 "a connection open, and every line is pushed to everyone the moment it is said.", highlight=STAGE),
            step("Say something", "You post a line to the chat. It is stored with the next sequence number, then "
                 "pushed to every connected page at once — this one included.",
                 do=[act("POST", "/api/streams/chat/messages", {"nick": "Tour", "text": "Hello, class!"})],
                 expect={"published": 1}, highlight=STAGE),
            step("Someone answers", "Another viewer replies. Nobody polled for it: it simply arrives, in order.",
                 do=[act("POST", "/api/streams/chat/messages", {"nick": "Ada", "text": "Hi! I can see it live."})],
                 expect={"published": 1}, highlight=LOG),
            step("A stream that never stops", "The stock ticker starts: five prices a second, each one pushed as it "
                 "happens. Watch the dots flow without a single request from this page.",
                 do=[act("POST", "/api/streams/ticker", {"action": "start", "rate": 5})], expect={"sent": 1, "published": 5},
                 highlight=STAGE),
            step("Quiet again", "The ticker stops. The connection stays open, costing a little all the time — the "
                 "price of hearing instantly.",
                 do=[act("POST", "/api/streams/ticker", {"action": "stop"})], expect={"sent": 1}, highlight=DO),
            step("When to use it", "Use streams for live things: chat, prices, scores, dashboards. No stale data and "
                 "no wasted questions — but every viewer holds a connection, and a reconnect must resume where it left off."),
        ],
    },
    "webhooks": {
        "title": "The fishing hook",
        "summary": "Payments calls Shop's address when something happens; signed, retried, never lost.",
        "cleanup": [act("PUT", "/api/webhooks/receiver", {"mode": "healthy"})],
        "steps": [
            step("The hook in the water", "A webhook is a fishing hook: Shop leaves a line in the water — "
                 "an address Payments can call — and gets on with its day. It only moves when a fish bites.",
                 highlight=STAGE),
            step("A fish bites", "A customer pays. Payments signs a payment.completed event and posts it to "
                 "Shop's address at once. Shop checks the signature, records the payment and answers 200.",
                 do=[act("POST", "/api/webhooks/events", {"type": "payment.completed"})],
                 expect={"event": 1, "attempt": 1, "processed": 1}, highlight=STAGE),
            step("A fake fish", "Anyone can post to Shop's address. The signature is the proof: an attacker "
                 "without the shared secret sends a forged event, and Shop turns it away.",
                 do=[act("POST", "/api/webhooks/attacks/forge")], expect={"forge": 1}, highlight=BREAK),
            step("Nobody at the line", "Shop's receiver goes offline, and the storefront announces a shipped "
                 "order. The call fails — so the sender tries again on a ladder: now, 5 s, 5 min, 30 min … (story time).",
                 do=[act("PUT", "/api/webhooks/receiver", {"mode": "offline"}),
                     act("POST", "/api/webhooks/events", {"type": "order.shipped"})],
                 expect={"attempt": 2}, highlight=LOG),
            step("Back at the line", "Shop's receiver is back. The next retry on the ladder gets through: the "
                 "event arrives late, but it arrives — once. Watch the log for “processed”.",
                 do=[act("PUT", "/api/webhooks/receiver", {"mode": "healthy"})], expect={"processed": 1},
                 highlight=LOG, wait_note="waiting for the next retry on the ladder (a few seconds)…"),
            step("When to use it", "Use webhooks when another system has news you cannot predict: payments, "
                 "parcels, sign-ups. You hear at once and ask nothing in between — but you must be reachable, "
                 "check signatures and accept each event only once."),
        ],
    },
    "queue": {
        "title": "The queue at the counter",
        "summary": "Work waits in line and workers take it one job at a time: nobody is turned away.",
        "cleanup": [act("POST", "/api/queue/workers", {"action": "resume"})],
        "steps": [
            step("The line", "A message queue is the line at a counter: you take a ticket, you are told "
                 "“we'll get to it”, and the clerks behind the counter serve everyone in turn.", highlight=STAGE),
            step("Take a ticket", "Someone signs up. The site answers at once and puts “send a welcome email” "
                 "in the queue; a worker picks it up a moment later and sends it.",
                 do=[act("POST", "/api/queue/signup", {"mode": "queued"})], expect={"queued": 1, "done": 1},
                 highlight=DO),
            step("A rush", "Thirty page views arrive at once. They all join the line in a blink; the two "
                 "workers drain it at their own pace. The site never had to say no.",
                 do=[act("POST", "/api/queue/jobs", {"kind": "analytics", "count": 30})],
                 expect={"queued": 30, "done": 30}, highlight=STAGE),
            step("The clerks take a break", "The workers stop taking jobs. Three emails are queued anyway: "
                 "nothing is lost, they simply wait in line.",
                 do=[act("POST", "/api/queue/workers", {"action": "pause"}),
                     act("POST", "/api/queue/jobs", {"kind": "email", "count": 3})],
                 expect={"queued": 3}, highlight=BREAK),
            step("Back to work", "The workers come back and serve the waiting emails in turn.",
                 do=[act("POST", "/api/queue/workers", {"action": "resume"})], expect={"done": 3}, highlight=LOG),
            step("Try, try again", "This email fails twice (say, the mail server is busy). The worker puts it "
                 "back with a growing pause between tries, and the third try succeeds.",
                 do=[act("POST", "/api/queue/jobs", {"kind": "email", "fail_times": 2})],
                 expect={"failed": 2, "retry-scheduled": 2, "done": 1}, highlight=LOG,
                 wait_note="waiting for the retries (a few seconds of story back-off)…"),
        ],
    },
    "database": {
        "title": "Walking into someone's house",
        "summary": "Reporting reads Shop's tables directly: fast and easy — until Shop moves the furniture.",
        "cleanup": [act("POST", "/api/database/schema", {"change": "restore"})],
        "steps": [
            step("The front door, skipped", "Direct database access is walking into someone's house instead "
                 "of knocking on the door: Reporting reads Shop's tables itself, with no agreed interface.",
                 highlight=STAGE),
            step("Straight from the tables", "Reporting's dashboard runs its SQL against Shop's tables. It is "
                 "quick, and it needed no one's permission — three queries, three answers.",
                 do=[act("GET", "/api/database/dashboard?via=direct")], expect={"query": 3}, highlight=STAGE),
            step("Everything is in reach", "Inside the house you see everything, even what was never meant for "
                 "you: this read returns customers' password hashes and card digits.",
                 do=[act("POST", "/api/database/query",
                         {"sql": "SELECT name, email, password_hash, card_last4 FROM shop_customer LIMIT 3"})],
                 expect={"query": 1}, highlight=LOG),
            step("But hands off the furniture", "Reporting tries to change an order. Its connection is "
                 "read-only in fact, not by promise: the database itself refuses the write.",
                 do=[act("POST", "/api/database/query", {"sql": "UPDATE shop_order SET status = 'cancelled' WHERE id = 42"})],
                 expect={"query": 1}, highlight=LOG),
            step("Shop redecorates", "Shop renames a column (total becomes amount_cents) and updates its own "
                 "code. Nobody told Reporting: its dashboard breaks on the next read.",
                 do=[act("POST", "/api/database/schema", {"change": "rename_column"}),
                     act("GET", "/api/database/dashboard?via=direct")], expect={"migrate": 1, "query": 3},
                 highlight=BREAK),
            step("Knock on the door instead", "The same dashboard through Shop's API still works: the API is "
                 "the agreement, and Shop kept it while changing what is behind it.",
                 do=[act("GET", "/api/database/dashboard?via=api")], expect={"GET": 1}, highlight=STAGE),
            step("Put the furniture back", "Shop restores its schema, and the direct dashboard works again. "
                 "Fast and simple, but tightly coupled: use it rarely, read-only, and with your eyes open.",
                 do=[act("POST", "/api/database/schema", {"change": "restore"}),
                     act("GET", "/api/database/dashboard?via=direct")], expect={"migrate": 1, "query": 3}),
        ],
    },
}


def tour_for(key):
    """The tour of style `key` with its style's words, or None."""
    from patterns.site.styles import BY_KEY

    style = BY_KEY.get(key)
    if key not in TOURS or style is None:
        return None
    return {"style": key, "style_name": style.name, "page": style.url, "motto": style.motto, **TOURS[key]}


def available():
    from patterns.site.styles import STYLES

    return [tour for tour in (tour_for(s.key) for s in STYLES) if tour]
