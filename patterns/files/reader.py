"""Accounting's side: the morning pickup.

For each CSV in the inbox that has a manifest (temporary `.part` files and CSVs without a manifest
are left alone): check the sha256, recognise a file already imported (same checksum: nothing twice),
read it with a BOM-tolerant UTF-8 decoder, check the header against the CSV contract, validate
every row, upsert good rows into Accounting's books in batches and in one transaction, and report
bad rows by their physical line number. The row count must match the manifest, or nothing is kept.
The file then moves to processed/ or rejected/ with a report beside it.
"""

import codecs
import csv
import hashlib
import time

from django.db import reset_queries, transaction
from django.utils import timezone

from patterns.site import storytime

from . import clock, csvcontract, folders, notes
from .models import Booking, ImportedFile

BATCH = 2000
REPORT_BAD_ROWS = 1000  # bad rows listed in a report; beyond that they are counted
UPDATE = [
    "customer_id",
    "customer_name",
    "total",
    "currency",
    "status",
    "created_at",
    "updated_at",
    "source_file",
    "line",
]


class Rejected(Exception):
    def __init__(self, reason, column=None, line=None):
        super().__init__(reason)
        self.reason, self.column, self.line = reason, column, line


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def bad_utf8_offset(path):
    """The byte offset of the first byte that is not UTF-8, or None."""
    decoder, offset = codecs.getincrementaldecoder("utf-8")(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset + exc.start
    return None


def inbox_files():
    """(csv path, manifest or None) for every visible CSV in the inbox, oldest first."""
    inbox = folders.folder("inbox")
    found = [
        p
        for p in inbox.iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and not p.name.endswith((folders.MANIFEST, folders.REPORT))
    ]
    found.sort(key=lambda p: (p.stat().st_mtime, p.name))
    return [(p, folders.read_json(p.with_name(p.name + folders.MANIFEST))) for p in found]


def _flush(batch, name):
    if batch:
        Booking.objects.bulk_create(
            [Booking(**values, source_file=name, line=line) for line, values in batch.values()],
            update_conflicts=True,
            unique_fields=["order_id"],
            update_fields=UPDATE,
        )
        batch.clear()
        reset_queries()  # with DEBUG on, Django keeps every query's SQL: a million-row import must not


def _sample(values):
    return {
        **values,
        "total": str(values["total"]),
        "created_at": values["created_at"].isoformat(),
        "updated_at": values["updated_at"].isoformat(),
    }


def import_rows(path, name, expected_rows):
    """Validate and upsert every row of `path` in one transaction. Returns the tallies and samples."""
    tally = {
        "rows": 0,
        "imported": 0,
        "refused": 0,
        "bad_rows": [],
        "booked": [],
        "refused_rows": [],
    }
    with open(path, encoding="utf-8-sig", newline="") as handle:  # inside _import's transaction
        reader = csv.reader(handle, strict=True)
        header = next(reader, None)
        if header is None:
            raise Rejected("the file is empty: not even a header line", line=1)
        problem = csvcontract.header_problem(header)
        if problem:
            raise Rejected(problem[1], column=problem[0], line=1)
        batch, prev = {}, reader.line_num
        for cells in reader:
            line, prev = prev + 1, reader.line_num
            tally["rows"] += 1
            try:
                values = csvcontract.parse(cells)
            except csvcontract.BadRow as bad:
                _refuse(tally, line, bad.column, str(bad) if cells else "an empty line")
                continue
            batch[values["order_id"]] = (line, values)  # within a batch, the later line wins
            tally["imported"] += 1
            if len(tally["booked"]) < notes.ROW_CAP:
                tally["booked"].append((line, _sample(values)))
            if len(batch) >= BATCH:
                _flush(batch, name)
        _flush(batch, name)
        if tally["rows"] != expected_rows:
            raise Rejected(
                f"the manifest promises {expected_rows} rows but the file has {tally['rows']}: "
                "it may be cut short or padded. Nothing was imported."
            )
        return tally


def _refuse(tally, line, column, reason):
    tally["refused"] += 1
    if len(tally["bad_rows"]) < REPORT_BAD_ROWS:
        tally["bad_rows"].append({"line": line, "column": column, "reason": reason})
    if len(tally["refused_rows"]) < notes.ROW_CAP:
        tally["refused_rows"].append((line, column, reason))


def read_file(path, manifest, story):
    """Import one file (or reject it). Returns (report, tally or None)."""
    name = path.name
    report = {
        "file": name,
        "sha256": manifest.get("sha256"),
        "rows_in_file": manifest.get("rows", 0),
        "imported": 0,
        "refused": 0,
        "bad_rows": [],
        "reason": "",
        "column": None,
        "line": None,
        "manifest": manifest,
        "read_story": story,
        "read_label": clock.label(story),
        "read_at": timezone.now().isoformat(),
    }
    if isinstance(manifest.get("written_story"), (int, float)):
        report["age_seconds"] = story - manifest["written_story"]
        report["age"] = clock.age(report["age_seconds"])
        report["written_label"] = manifest.get("written_label")
    tally = None
    try:
        actual = sha256_of(path)
        if actual != manifest.get("sha256"):
            raise Rejected(
                f"the checksum does not match the manifest (file {actual[:12]}…, manifest "
                f"{str(manifest.get('sha256'))[:12]}…): the file changed or was damaged on the way"
            )
        if ImportedFile.objects.filter(sha256=actual).exists():
            first = ImportedFile.objects.get(sha256=actual)
            report.update(
                outcome="duplicate",
                reason=f"the same file (same checksum) was imported before, as "
                f"{first.name}: nothing imported twice",
            )
        else:
            tally = _import(path, name, manifest, actual)
            report.update(
                outcome="imported",
                imported=tally["imported"],
                refused=tally["refused"],
                bad_rows=tally["bad_rows"],
                rows_in_file=tally["rows"],
            )
    except Rejected as exc:
        report.update(
            outcome="rejected", reason=exc.reason, column=exc.column, line=exc.line, imported=0
        )
    report["moved_to"] = "rejected" if report["outcome"] == "rejected" else "processed"
    return report, tally


def _import(path, name, manifest, sha):
    try:
        with transaction.atomic():
            tally = import_rows(path, name, int(manifest.get("rows", -1)))
            ImportedFile.objects.create(
                sha256=sha, name=name, rows=tally["rows"], imported=tally["imported"]
            )
            return tally
    except UnicodeDecodeError:
        offset = bad_utf8_offset(path)
        raise Rejected(
            f"the file is not UTF-8: byte {offset} cannot be decoded (save it as UTF-8 and send it again)"
        ) from None
    except csv.Error as exc:
        raise Rejected(f"the CSV cannot be read: {exc}") from None


def pickup(*, story=None, trigger="button", expected=None):
    """Read every ready file in the inbox. Returns a summary (also recorded as `pickup.checked`)."""
    with folders.locked():
        story = clock.story_now(clock.get()) if story is None else story
        results, waiting = [], []
        for path, manifest in inbox_files():
            if manifest is None:
                if _stale(path):
                    results.append(_quarantine(path, story))
                else:
                    waiting.append(path.name)
                continue
            report, tally = read_file(path, manifest, story)
            target = folders.folder(report["moved_to"])
            folders.write_json(path.with_name(path.name + folders.REPORT), report)
            moved = folders.move(path, target)
            report["file"] = moved.name
            folders.prune(target)
            results.append((report, tally, manifest.get("exchange_id")))
    for report, tally, exchange in results:
        notes.file_read(report, exchange)
        if tally:
            notes.rows(
                report["file"],
                exchange,
                tally["booked"],
                tally["refused_rows"],
                {"imported": tally["imported"], "refused": tally["refused"]},
            )
    return _summary(story, trigger, results, waiting, expected)


def _stale(path):
    """A CSV that has had no manifest for a whole story day: its writer is not coming back."""
    age = time.time() - path.stat().st_mtime
    return storytime.to_story(age) >= clock.DAY


def _quarantine(path, story):
    report = {
        "file": path.name,
        "outcome": "rejected",
        "rows_in_file": 0,
        "imported": 0,
        "refused": 0,
        "bad_rows": [],
        "reason": "no manifest after a whole story day: its writer died or never finished. Never imported; "
        "moved aside so the inbox stays clean.",
        "column": None,
        "line": None,
        "manifest": {},
        "read_story": story,
        "read_label": clock.label(story),
        "read_at": timezone.now().isoformat(),
        "moved_to": "rejected",
    }
    folders.write_json(path.with_name(path.name + folders.REPORT), report)
    report["file"] = folders.move(path, folders.folder("rejected")).name
    return report, None, None


def _summary(story, trigger, results, waiting, expected):
    imported = [r for r, _, _ in results if r["outcome"] == "imported"]
    rejected = [r for r, _, _ in results if r["outcome"] == "rejected"]
    missing = (
        expected
        if expected
        and not any(
            r["manifest"].get("file") == expected or r["file"] == expected for r, _, _ in results
        )
        and not _already_read(expected)
        else None
    )
    parts = []
    if not results:
        parts.append("Nothing new in the inbox.")
    else:
        parts.append(
            f"{len(results)} file(s) read: {len(imported)} imported, {len(rejected)} rejected"
            + (
                f", {len(results) - len(imported) - len(rejected)} already imported before."
                if len(results) > len(imported) + len(rejected)
                else "."
            )
        )
    if missing:
        parts.append(
            f"Today's file {missing} has not arrived: Shop's export is late. The books stay as they were."
        )
    if waiting:
        parts.append(
            f"{len(waiting)} file(s) without a manifest left alone (still being written, or the writer died)."
        )
    payload = {
        "trigger": trigger,
        "story_time": clock.label(story),
        "found": len(results),
        "imported": len(imported),
        "rejected": len(rejected),
        "waiting": waiting[:20],
        "missing": missing,
        "note": " ".join(parts),
    }
    notes.pickup(payload)
    return {
        **payload,
        "reports": [{k: v for k, v in r.items() if k != "manifest"} for r, _, _ in results],
    }


def _already_read(name):
    return any((folders.folder(f) / name).exists() for f in ("processed", "rejected"))
