"""What this style writes to the ledger. A file is one exchange (one correlation id, kept in its
manifest); its rows are correlated to it. Only the first ROW_CAP rows of a file (and its first
ROW_CAP refused rows) are recorded one by one; the rest are counted in one `rows.summary`."""

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record, record_many

STYLE = "files"
ROW_CAP = 100


def _entry(kind, hop, source, target, contract, payload, correlation, uid=None, error=""):
    return {
        "style": STYLE,
        "kind": kind,
        "hop": hop,
        "source": source,
        "target": target,
        "contract": contract,
        "payload": payload,
        "correlation_id": correlation or new_uid(),
        "uid": uid or new_uid(),
        "status": "error" if error else "ok",
        "error": error,
    }


def file_written(
    kind, hop, source, folder, manifest, *, story_label, note="", error="", correlation=None
):
    m = manifest
    payload = {
        "file": m["file"],
        "folder": folder,
        "rows": m.get("rows", 0),
        "bytes": m.get("bytes", 0),
        "sha256": m.get("sha256", ""),
        "manifest": bool(m.get("sha256")),
        "story_time": story_label,
        "note": note,
    }
    return record(
        **_entry(
            kind,
            hop,
            source,
            folder,
            "files.file_written",
            payload,
            correlation or m.get("exchange_id"),
            error=error,
        )
    )


def pickup(payload):
    return record(
        **_entry("pickup.checked", "check", "accounting", "inbox", "files.pickup", payload, None)
    )


def file_read(report, correlation):
    outcome = report["outcome"]
    payload = {
        k: report.get(k)
        for k in (
            "file",
            "outcome",
            "moved_to",
            "rows_in_file",
            "imported",
            "refused",
            "reason",
            "column",
            "age",
        )
    }
    payload["reason"] = payload["reason"] or ""
    payload["story_time"] = report["read_label"]
    error = report["reason"] if outcome == "rejected" else ""
    return record(
        **_entry(
            f"file.{'rejected' if outcome == 'rejected' else 'imported'}",
            "read",
            "inbox",
            "accounting",
            "files.file_read",
            payload,
            correlation,
            error=error,
        )
    )


def rows(file, correlation, booked, refused, totals):
    """`booked`: up to ROW_CAP (line, values) imported; `refused`: up to ROW_CAP (line, column, reason)."""
    entries = [
        _entry(
            "row.imported",
            "book",
            "accounting",
            "books",
            "files.orders_row",
            {"file": file, "line": line, **values},
            correlation,
            uid=f"{correlation}-L{line}",
        )
        for line, values in booked
    ]
    entries += [
        _entry(
            "row.refused",
            "refuse",
            "accounting",
            "books",
            "files.row_refused",
            {"file": file, "line": line, "column": column, "reason": reason},
            correlation,
            uid=f"{correlation}-L{line}",
            error=f"line {line}: {reason}",
        )
        for line, column, reason in refused
    ]
    recorded = len(entries)
    counted = totals["imported"] + totals["refused"]
    if counted > recorded:
        entries.append(
            _entry(
                "rows.summary",
                "book",
                "accounting",
                "books",
                "files.rows_summary",
                {"file": file, "recorded": recorded, "not_recorded": counted - recorded, **totals},
                correlation,
                uid=f"{correlation}-rows",
            )
        )
    for start in range(0, len(entries), 500):
        record_many(entries[start : start + 500])
    return recorded
