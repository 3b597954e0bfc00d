"""What a prediction about a file drop is decided by: what Accounting did with the files a question
made (the file.imported / file.rejected reads and row hops in the ledger)."""

from patterns.site.predictions import Measured, Measurement, Option, Predictions, Question, Step


def _pickup_done(run):
    return run.messages(style="files", kind="pickup.checked").exists()


def crashed_rows_imported(run):
    crash = run.messages(style="files", kind="file.partial").first()
    if crash is None or not _pickup_done(run):
        return Measured(None, "Accounting has not looked at the inbox yet")
    name = crash.payload.get("file", "")
    n = run.messages(style="files", kind="row.imported", payload__file=name).count()
    written = crash.payload.get("rows", 0)
    return Measured(n, f"{name} held {written} row(s) and no manifest; Accounting imported {n}")


def pickup_outcome(run):
    """ "rejected": the whole file refused; "some": good rows in, bad ones refused; "all"; "none"."""
    if not _pickup_done(run):
        return Measured(None, "Accounting has not picked up yet")
    reads = list(run.messages(style="files", hop="read"))
    imported = sum(m.payload.get("imported") or 0 for m in reads)
    refused = sum(m.payload.get("refused") or 0 for m in reads)
    detail = f"{imported} row(s) imported, {refused} refused, {len(reads)} file(s) read"
    if any(m.kind == "file.rejected" for m in reads):
        return Measured("rejected", detail + "; the file was rejected: " + reads[-1].error)
    if imported and refused:
        return Measured("some", detail)
    return Measured("all" if imported else "none", detail)


MEASUREMENTS = (
    Measurement(
        "files.crashed_rows_imported",
        "Rows Accounting imported from the file whose writer crashed",
        crashed_rows_imported,
        unit="rows",
    ),
    Measurement(
        "files.pickup_outcome",
        "What Accounting did with the file",
        pickup_outcome,
        values={
            "rejected": "rejected the whole file",
            "some": "imported the good rows, refused the bad",
            "all": "imported every row",
            "none": "imported nothing",
        },
    ),
)
QUESTIONS = (
    Question(
        "files.writer-dies",
        "files",
        "Shop's writer dies half-way through the export, writing straight into the inbox (no "
        "temporary name, no manifest). Accounting picks up. How many rows does it import from "
        "that file?",
        (
            Option("None: it leaves a file without a manifest alone", low=0, high=0),
            Option("The rows written before the crash", low=1),
        ),
        (Step("files", "demo", {"scenario": "partial"}),),
        "files.crashed_rows_imported",
        "Without a manifest (or a rename at the end) a reader cannot tell a finished file from "
        "a half-written one; this one waits, it is not imported.",
        shared=True,
    ),
    Question(
        "files.column-renamed",
        "files",
        "Shop renames the column total to amount in its export. Accounting picks the file up. "
        "What does it do?",
        (
            Option("Rejects the whole file: the header breaks the contract", value="rejected"),
            Option("Imports every row, reading amount as total", value="all"),
            Option("Imports the rows, leaving total empty", value="some"),
        ),
        (Step("files", "demo", {"scenario": "schema_change"}),),
        "files.pickup_outcome",
        "The header is part of the contract; a file is accepted or refused as a whole.",
        shared=True,
    ),
    Question(
        "files.bad-row",
        "files",
        "One row of Shop's export has its total written with a comma (12,50). Accounting picks "
        "it up. What does it do?",
        (
            Option("Rejects the whole file", value="rejected"),
            Option("Imports the good rows and reports the bad one", value="some"),
            Option("Imports every row, 12,50 as 1250", value="all"),
        ),
        (Step("files", "demo", {"scenario": "bad_row"}),),
        "files.pickup_outcome",
        "Row by row: one bad row is refused with its reason, the rest are booked.",
        shared=True,
    ),
)
PREDICTIONS = Predictions(MEASUREMENTS, QUESTIONS)
