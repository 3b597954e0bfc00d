"""The guided tour of this style: its steps, fired through the style's own public API."""

from patterns.site.lessons import BREAK, LOG, STAGE, act, step

TOUR = {
    "title": "Walking into someone's house",
    "summary": "Reporting reads Shop's tables directly: fast and easy — until Shop moves the furniture.",
    "cleanup": [act("POST", "/api/database/schema", {"change": "restore"})],
    "steps": [
        step(
            "The front door, skipped",
            "Direct database access is walking into someone's house instead "
            "of knocking on the door: Reporting reads Shop's tables itself, with no agreed interface.",
            highlight=STAGE,
        ),
        step(
            "Straight from the tables",
            "Reporting's dashboard runs its SQL against Shop's tables. It is "
            "quick, and it needed no one's permission — three queries, three answers.",
            do=[act("GET", "/api/database/dashboard?via=direct")],
            expect={"query": 3},
            highlight=STAGE,
        ),
        step(
            "Everything is in reach",
            "Inside the house you see everything, even what was never meant for "
            "you: this read returns customers' password hashes and card digits.",
            do=[
                act(
                    "POST",
                    "/api/database/query",
                    {
                        "sql": "SELECT name, email, password_hash, card_last4 FROM shop_customer LIMIT 3"
                    },
                )
            ],
            expect={"query": 1},
            highlight=LOG,
        ),
        step(
            "But hands off the furniture",
            "Reporting tries to change an order. Its connection is "
            "read-only in fact, not by promise: the database itself refuses the write.",
            do=[
                act(
                    "POST",
                    "/api/database/query",
                    {"sql": "UPDATE shop_order SET status = 'cancelled' WHERE id = 42"},
                )
            ],
            expect={"query": 1},
            highlight=LOG,
        ),
        step(
            "Shop redecorates",
            "Shop renames a column (total becomes amount_cents) and updates its own "
            "code. Nobody told Reporting: its dashboard breaks on the next read.",
            do=[
                act("POST", "/api/database/schema", {"change": "rename_column"}),
                act("GET", "/api/database/dashboard?via=direct"),
            ],
            expect={"migrate": 1, "query": 3},
            highlight=BREAK,
        ),
        step(
            "Knock on the door instead",
            "The same dashboard through Shop's API still works: the API is "
            "the agreement, and Shop kept it while changing what is behind it.",
            do=[act("GET", "/api/database/dashboard?via=api")],
            expect={"GET": 1},
            highlight=STAGE,
        ),
        step(
            "Put the furniture back",
            "Shop restores its schema, and the direct dashboard works again. "
            "Fast and simple, but tightly coupled: use it rarely, read-only, and with your eyes open.",
            do=[
                act("POST", "/api/database/schema", {"change": "restore"}),
                act("GET", "/api/database/dashboard?via=direct"),
            ],
            expect={"migrate": 1, "query": 3},
        ),
    ],
}
