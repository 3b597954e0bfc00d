"""The midnight CSV: Shop's nightly export at 00:00, Accounting's pickup at 08:00 (story time)."""

from patterns.site import storytime

from . import register
from .base import Lane, LaneResult

DAY, PICKUP_AT, LATE_EXPORT_AT = 24 * 3600, 8 * 3600, 10 * 3600


def story_until_learned(story, late_day):
    """Story seconds from `story` to the pickup that reads the next night's export."""
    next_day_start = (int(story // DAY) + 1) * DAY  # the next 00:00 …
    day = int(next_day_start // DAY) + 1
    pickup = (
        next_day_start + PICKUP_AT + (DAY if late_day == day else 0)
    )  # … a late one waits a day more
    return pickup - story


class MidnightCsv(Lane):
    key = "files"
    title = "Midnight CSV"
    consumer = "Accounting"
    how = "Shop writes every order into a CSV at 00:00; Accounting picks the file up at 08:00."
    coupling = 2
    coupling_text = "Loose in time, firm in format: the CSV's columns are the contract; nobody needs to be up at once."
    fault = "Export runs late"
    fault_key = "export_late"
    idle_cost = "one file a night, whatever happened"

    def start(self, run, wire, notes, faulty):
        if faulty:
            wire.call("POST", "/api/files/demo", {"scenario": "late"})
        status, clock = wire.call(
            "POST", "/api/files/clock", {"running": True}
        )  # the night only runs with its clock
        clock = clock or {}
        if status != 200:
            notes["error"] = f"the story clock could not be read ({status})"
            return
        notes["story_at_ship"] = clock["story_seconds"]
        notes["shipped_label"] = clock["label"]
        notes["wait_story"] = story_until_learned(clock["story_seconds"], clock.get("late_day"))

    def horizon(self, notes):
        return storytime.to_real(notes.get("wait_story", 0)) + 8

    def measure(self, run, notes):
        if "wait_story" not in notes:
            return LaneResult(broke=notes.get("error", ""))
        rows = self.rows(run, style="files", created_at__gte=run.shipped_at)
        export = rows.filter(kind="file.exported").first()
        if export is None:
            return LaneResult(calls=0)
        exchange = list(self.rows(run, style="files", correlation_id=export.correlation_id))
        result = LaneResult(
            calls=1, messages=len(exchange), correlation_ids=[export.correlation_id]
        )
        read = next((r for r in exchange if r.hop == "read"), None)
        if read is not None and read.kind == "file.imported":
            result.learned_at = read.created_at
        elif read is not None:
            result.failures, result.broke = 1, f"Accounting rejected the file: {read.error}"
        if self.key in run.faults:
            result.broke = result.broke or (
                "The export ran late, after the 08:00 pickup: Accounting found "
                "nothing that morning and read the file a day later."
            )
        return result


register(MidnightCsv())
