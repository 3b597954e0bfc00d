"""The guided tour of this style: its steps, fired through the style's own public API."""

from patterns.site.lessons import BREAK, LOG, STAGE, act, step

TOUR = {
    "title": "The letter",
    "summary": "Shop leaves a CSV at midnight; Accounting reads it in the morning — hours later, all at once.",
    "cleanup": [],
    "steps": [
        step(
            "Leaving a letter",
            "A file drop is leaving a letter instead of having a conversation: Shop "
            "writes every order into a CSV and puts it in a folder; Accounting reads it when it gets round to it.",
            highlight=STAGE,
        ),
        step(
            "Write the letter",
            "Shop exports its orders now: the CSV is written under a temporary name, "
            "then renamed, then a manifest with its checksum is added — so nobody reads half a letter.",
            do=[act("POST", "/api/files/export", {})],
            expect={"write": 1, "deliver": 1},
            highlight=STAGE,
        ),
        step(
            "Open the mail",
            "Accounting checks its inbox, checks the file against the manifest and the "
            "agreed columns, and books every row. Nobody talked: the file was the whole conversation.",
            do=[act("POST", "/api/files/pickup")],
            expect={"check": 1, "read": 1},
            highlight=LOG,
        ),
        step(
            "A word crossed out",
            "Shop renames a column in its export (total becomes amount). Accounting "
            "finds out only when it reads the file — and rejects the whole letter, with a report saying why.",
            do=[act("POST", "/api/files/demo", {"scenario": "schema_change"})],
            expect={"write": 1, "read": 1},
            highlight=BREAK,
        ),
        step(
            "A torn letter",
            "Shop's writer dies half-way through a file it writes straight into the inbox, "
            "with no temporary name and no manifest. Accounting sees no manifest and leaves it alone.",
            do=[act("POST", "/api/files/demo", {"scenario": "partial"})],
            expect={"write": 1, "check": 1},
            highlight=BREAK,
        ),
        step(
            "When to use it",
            "Use files between organisations and older systems, for daily batches: cheap, "
            "simple, nobody needs to be up at the same time. The price: the news is hours old when it arrives.",
        ),
    ],
}
