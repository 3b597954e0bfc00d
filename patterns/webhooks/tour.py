"""The guided tour of this style: its steps, fired through the style's own public API."""

from patterns.site.lessons import BREAK, LOG, STAGE, act, step

TOUR = {
    "title": "The fishing hook",
    "summary": "Payments calls Shop's address when something happens; signed, retried, never lost.",
    "cleanup": [act("PUT", "/api/webhooks/receiver", {"mode": "healthy"})],
    "steps": [
        step(
            "The hook in the water",
            "A webhook is a fishing hook: Shop leaves a line in the water — "
            "an address Payments can call — and gets on with its day. It only moves when a fish bites.",
            highlight=STAGE,
        ),
        step(
            "A fish bites",
            "A customer pays. Payments signs a payment.completed event and posts it to "
            "Shop's address at once. Shop checks the signature, records the payment and answers 200.",
            do=[act("POST", "/api/webhooks/events", {"type": "payment.completed"})],
            expect={"event": 1, "attempt": 1, "processed": 1},
            highlight=STAGE,
        ),
        step(
            "A fake fish",
            "Anyone can post to Shop's address. The signature is the proof: an attacker "
            "without the shared secret sends a forged event, and Shop turns it away.",
            do=[act("POST", "/api/webhooks/attacks/forge")],
            expect={"forge": 1},
            highlight=BREAK,
        ),
        step(
            "Nobody at the line",
            "Shop's receiver goes offline, and the storefront announces a shipped "
            "order. The call fails — so the sender tries again on a ladder: now, 5 s, 5 min, 30 min … (story time).",
            do=[
                act("PUT", "/api/webhooks/receiver", {"mode": "offline"}),
                act("POST", "/api/webhooks/events", {"type": "order.shipped"}),
            ],
            expect={"attempt": 2},
            highlight=LOG,
        ),
        step(
            "Back at the line",
            "Shop's receiver is back. The next retry on the ladder gets through: the "
            "event arrives late, but it arrives — once. Watch the log for “processed”.",
            do=[act("PUT", "/api/webhooks/receiver", {"mode": "healthy"})],
            expect={"processed": 1},
            highlight=LOG,
            wait_note="waiting for the next retry on the ladder (a few seconds)…",
        ),
        step(
            "When to use it",
            "Use webhooks when another system has news you cannot predict: payments, "
            "parcels, sign-ups. You hear at once and ask nothing in between — but you must be reachable, "
            "check signatures and accept each event only once.",
        ),
    ],
}
