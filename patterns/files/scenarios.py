"""The failures files are famous for, each made to happen for real."""

from django.db import transaction

from . import clock, night, notes, writer
from .models import Clock

SCENARIOS = {
    "late": "Tonight's export runs at 10:00 instead of 00:00 — after Accounting's 08:00 pickup.",
    "partial": "Shop's writer dies half-way through a file it writes straight into the inbox (no temporary name, no manifest).",
    "schema_change": "Shop renames the column total to amount in its export; Accounting picks it up.",
    "bad_row": "One malformed row (line 5: total 12,50 with a comma) among Shop's good ones; Accounting picks it up.",
}


def run(scenario):
    return {"late": late, "partial": partial, "schema_change": schema_change, "bad_row": bad_row}[
        scenario
    ]()


def late():
    with transaction.atomic():
        state = Clock.objects.select_for_update().get(pk=clock.get().pk)
        story = clock.story_now(state)
        day = clock.day_of(story) + (1 if story % clock.DAY >= clock.EXPORT_AT else 0)
        state.late_day = day
        state.save(update_fields=["late_day"])
    detail = (
        f"Day {day}'s export will run at 10:00, after Accounting's 08:00 pickup. Watch the clock: at 08:00 "
        f"Accounting finds nothing and says so; the file arrives at 10:00; Day {day + 1}'s pickup catches up."
    )
    if not state.running:
        detail += " The story clock is paused: start it to see this happen."
    return {"scenario": "late", "late_day": day, "detail": detail}


def partial():
    story = clock.story_now(clock.get())
    rows = list(writer.shop_rows())
    stop = max(1, len(rows) // 2)
    name, written, size = writer.write_naive(
        rows, writer.export_name(story, False).replace(".csv", "-crashed.csv"), stop_after=stop
    )
    notes.file_written(
        "file.partial",
        "write",
        "shop",
        "inbox",
        {"file": name, "rows": written, "bytes": size},
        story_label=clock.label(story),
        error=f"the writer died after {written} of {len(rows)} rows; "
        "it wrote straight into the inbox and never wrote a manifest",
        note="a naive writer: no temporary name, no manifest",
    )
    summary = night.pickup_now(story=story)
    return {
        "scenario": "partial",
        "file": name,
        "rows_written": written,
        "rows_meant": len(rows),
        "pickup": summary,
        "detail": f"{name} holds {written} of {len(rows)} rows and no manifest: Accounting leaves it alone.",
    }


def schema_change():
    header = ["amount" if n == "total" else n for n in writer.csvcontract.NAMES]
    manifest = night.export_now(header=header, note="Shop renamed the column total to amount")
    summary = night.pickup_now()
    return {
        "scenario": "schema_change",
        "file": manifest["delivered_as"],
        "pickup": summary,
        "detail": "Accounting rejected the file: its header no longer matches the contract (see the report).",
    }


def _with_bad_row(rows, index=3):
    for n, row in enumerate(rows):
        if n == index:
            row = list(row)
            row[3] = str(row[3]).replace(".", ",")
        yield row


def bad_row():
    manifest = night.export_now(
        rows=_with_bad_row(writer.shop_rows()),
        note="one row has total written with a comma",
        sell=True,
    )
    summary = night.pickup_now()
    return {
        "scenario": "bad_row",
        "file": manifest["delivered_as"],
        "pickup": summary,
        "detail": "Accounting imported the good rows and reported line 5 with its reason.",
    }
