"""What is in the folders, for the page and GET /api/files: every file with its state and report."""

import csv
from itertools import islice

from . import clock, folders, reader

STATES = {
    "sent": "Shop's copy of a file it sent",
    "ready": "has a manifest: Accounting will read it at the next pickup",
    "incomplete": "no manifest: still being written, or its writer died — Accounting leaves it alone",
    "writing": "a temporary file being written; it gets its real name only when complete",
    "imported": "read and imported",
    "duplicate": "the same file (same checksum) was imported before: nothing imported twice",
    "rejected": "refused as a whole: nothing imported",
}
BAD_ROWS_LISTED = 50


def _state(directory, path, manifest, report):
    if path.name.startswith("."):
        return "writing"
    if directory == "outbox":
        return "sent"
    if directory == "inbox":
        return "ready" if manifest else "incomplete"
    return (report or {}).get("outcome", "rejected" if directory == "rejected" else "imported")


def _entry(directory, path):
    manifest = folders.read_json(path.with_name(path.name + folders.MANIFEST))
    report = folders.read_json(path.with_name(path.name + folders.REPORT))
    stat = path.stat()
    state = _state(directory, path, manifest, report)
    entry = {
        "name": path.name,
        "folder": directory,
        "state": state,
        "explain": STATES[state],
        "bytes": stat.st_size,
        "modified": stat.st_mtime,
        "rows": (manifest or {}).get("rows"),
        "manifest": manifest is not None,
        "written": (manifest or {}).get("written_label"),
        "writer": (manifest or {}).get("writer"),
    }
    if report:
        entry["report"] = {
            **{k: v for k, v in report.items() if k not in ("manifest", "bad_rows")},
            "bad_rows": report.get("bad_rows", [])[:BAD_ROWS_LISTED],
            "report_file": path.name + folders.REPORT,
        }
    return entry


def everything():
    files = []
    for directory in folders.FOLDERS:
        for path in folders.folder(directory).iterdir():
            if (
                path.is_file()
                and not path.name.endswith((folders.MANIFEST, folders.REPORT))
                and path.name != ".lock"
            ):
                files.append(_entry(directory, path))
    files.sort(key=lambda f: (-f["modified"], f["name"]))
    return files


def latest_age():
    """The newest imported file's journey: written at …, read at …, so many hours old."""
    for entry in everything():
        report = entry.get("report") or {}
        if (
            entry["folder"] == "processed"
            and report.get("outcome") == "imported"
            and report.get("age")
        ):
            return {
                "file": entry["name"],
                "written": report.get("written_label"),
                "read": report.get("read_label"),
                "age": report["age"],
                "age_seconds": report.get("age_seconds"),
            }
    return None


def rows(path, limit=100):
    """The first `limit` records of a file as a table (cells as written), with physical line numbers."""
    offset = reader.bad_utf8_offset(path)
    if offset is not None:
        return {
            "error": f"not UTF-8: byte {offset} cannot be decoded",
            "header": [],
            "rows": [],
            "truncated": False,
        }
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = csv.reader(handle)
        header, out = next(records, []), []
        prev = records.line_num
        try:
            for cells in islice(records, limit):
                out.append({"line": prev + 1, "cells": cells})
                prev = records.line_num
            more = next(records, None) is not None
        except csv.Error as exc:
            return {
                "error": f"line {records.line_num}: {exc}",
                "header": header,
                "rows": out,
                "truncated": True,
            }
    return {"header": header, "rows": out, "truncated": more, "error": None}


def summary():
    return {"clock": clock.describe(), "files": everything(), "latest": latest_age()}
