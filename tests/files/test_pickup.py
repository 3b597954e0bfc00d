"""Accounting's morning pickup: checksums, row counts, BOMs, line-numbered bad rows, duplicates."""

import json
import os
import time

import pytest

from patterns.files import folders, night, reader, writer
from patterns.files.models import Booking, ImportedFile
from patterns.ledger.models import Message
from patterns.site import storytime

from .conftest import files_in, row

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


def publish(rows, **kwargs):
    return night.export_now(rows=rows, **kwargs)


def test_a_good_file_is_imported_moved_to_processed_with_a_report_and_recorded_as_one_exchange():
    manifest = publish([row(n) for n in range(1, 11)])
    summary = night.pickup_now()
    assert (summary["found"], summary["imported"], summary["rejected"]) == (1, 1, 0)
    assert Booking.objects.count() == 10
    assert files_in("inbox") == []
    name = manifest["delivered_as"]
    assert files_in("processed") == sorted([name, name + folders.MANIFEST, name + folders.REPORT])
    report = json.loads((folders.folder("processed") / (name + folders.REPORT)).read_text())
    assert (report["outcome"], report["imported"], report["refused"]) == ("imported", 10, 0)
    exchange = Message.objects.filter(correlation_id=manifest["exchange_id"])
    assert {"file.exported", "file.delivered", "file.imported", "row.imported"} <= set(
        exchange.values_list("kind", flat=True)
    )
    assert exchange.filter(kind="row.imported").count() == 10
    assert not Message.objects.filter(style="files", valid=False).exists()


def test_a_checksum_mismatch_is_rejected_and_imports_nothing():
    manifest = publish([row(n) for n in range(1, 6)])
    path = folders.folder("inbox") / manifest["delivered_as"]
    path.write_bytes(path.read_bytes().replace(b"Customer 3", b"Customer 9"))  # damaged on the way
    summary = night.pickup_now()
    assert summary["rejected"] == 1 and Booking.objects.count() == 0
    assert "checksum" in summary["reports"][0]["reason"]
    assert manifest["delivered_as"] in files_in("rejected")


def test_a_row_count_mismatch_is_rejected_and_imports_nothing():
    manifest = publish([row(n) for n in range(1, 6)])
    side = folders.folder("inbox") / (manifest["delivered_as"] + folders.MANIFEST)
    data = json.loads(side.read_text())
    side.write_text(json.dumps({**data, "rows": 7}))
    summary = night.pickup_now()
    assert (
        summary["rejected"] == 1
        and Booking.objects.count() == 0
        and ImportedFile.objects.count() == 0
    )
    assert "promises 7 rows but the file has 5" in summary["reports"][0]["reason"]


def test_a_file_with_a_bom_imports_with_clean_headers():
    manifest = publish([row(n) for n in range(1, 4)], bom=True)
    assert (folders.folder("inbox") / manifest["delivered_as"]).read_bytes().startswith(writer.BOM)
    summary = night.pickup_now()
    assert summary["imported"] == 1 and Booking.objects.count() == 3


def test_rows_4_and_7_malformed_import_the_rest_and_report_physical_lines_5_and_8():
    rows = [row(n) for n in range(1, 11)]
    rows[3] = row(4, total="12,50")
    rows[6] = row(7, status="lost")
    publish(rows)
    report = night.pickup_now()["reports"][0]
    assert (report["outcome"], report["imported"], report["refused"]) == ("imported", 8, 2)
    assert [(b["line"], b["column"]) for b in report["bad_rows"]] == [(5, "total"), (8, "status")]
    assert "'12,50' is not an amount" in report["bad_rows"][0]["reason"]
    assert sorted(Booking.objects.values_list("order_id", flat=True)) == [1, 2, 3, 5, 6, 8, 9, 10]
    refused = Message.objects.filter(kind="row.refused").order_by("id")
    assert [m.payload["line"] for m in refused] == [5, 8] and all(
        m.status == "error" for m in refused
    )


def test_line_numbers_count_physical_lines_when_a_quoted_cell_spans_two():
    inbox = folders.folder("inbox")
    text = (
        ",".join(writer.csvcontract.NAMES)
        + "\r\n"
        + ",".join(row(1, customer_name='"Two\r\nlines"'))
        + "\r\n"
        + ",".join(row(2, total="oops"))
        + "\r\n"
    )
    (inbox / "hand.csv").write_text(text, newline="")
    sha = reader.sha256_of(inbox / "hand.csv")
    folders.write_json(
        inbox / ("hand.csv" + folders.MANIFEST), {"file": "hand.csv", "sha256": sha, "rows": 2}
    )
    report = night.pickup_now()["reports"][0]
    assert [b["line"] for b in report["bad_rows"]] == [4]
    assert Booking.objects.get().customer_name == "Two\r\nlines"


def test_the_same_file_twice_is_imported_once():
    rows = [row(n) for n in range(1, 6)]
    first = publish(rows)
    night.pickup_now()
    path = folders.folder("processed") / first["delivered_as"]
    writer.deliver(
        path, json.loads((folders.folder("processed") / (path.name + folders.MANIFEST)).read_text())
    )
    summary = night.pickup_now()
    assert summary["reports"][0]["outcome"] == "duplicate" and summary["imported"] == 0
    assert Booking.objects.count() == 5 and ImportedFile.objects.count() == 1
    assert Message.objects.filter(kind="row.imported").count() == 5  # no row recorded twice


def test_a_renamed_column_rejects_the_file_naming_the_column():
    header = ["amount" if n == "total" else n for n in writer.csvcontract.NAMES]
    publish([row(n) for n in range(1, 4)], header=header)
    report = night.pickup_now()["reports"][0]
    assert report["outcome"] == "rejected" and report["column"] == "total"
    assert (
        "missing column 'total'" in report["reason"]
        and "unexpected column 'amount'" in report["reason"]
    )
    assert Booking.objects.count() == 0


def test_files_without_a_manifest_and_temporary_files_are_left_alone():
    inbox = folders.folder("inbox")
    (inbox / "half.csv").write_text(",".join(writer.csvcontract.NAMES) + "\r\n1,2,A,")
    (inbox / ".next.csv.part").write_text("order_id")
    summary = night.pickup_now()
    assert summary["found"] == 0 and summary["waiting"] == ["half.csv"]
    assert files_in("inbox") == [".next.csv.part", "half.csv"] and Booking.objects.count() == 0


def test_a_file_without_a_manifest_for_a_whole_story_day_is_moved_to_rejected():
    stale = folders.folder("inbox") / "crashed.csv"
    stale.write_text(",".join(writer.csvcontract.NAMES) + "\r\n1,2,A,")
    day_ago = time.time() - storytime.to_real(24 * 3600) - 1
    os.utime(stale, (day_ago, day_ago))
    summary = night.pickup_now()
    assert (summary["found"], summary["rejected"], summary["waiting"]) == (1, 1, [])
    assert "no manifest after a whole story day" in summary["reports"][0]["reason"]
    assert (
        files_in("rejected") == ["crashed.csv", "crashed.csv" + folders.REPORT]
        and Booking.objects.count() == 0
    )
    assert Message.objects.get(kind="file.rejected").valid is True


def test_a_non_utf8_file_in_the_inbox_is_rejected_with_the_byte_offset():
    inbox = folders.folder("inbox")
    head = (",".join(writer.csvcontract.NAMES) + "\r\n").encode()
    data = head + ",".join(row(1, customer_name="Andr\xe9")).encode("latin-1") + b"\r\n"
    (inbox / "latin.csv").write_bytes(data)
    folders.write_json(
        inbox / ("latin.csv" + folders.MANIFEST),
        {"file": "latin.csv", "sha256": reader.sha256_of(inbox / "latin.csv"), "rows": 1},
    )
    offset = data.index(b"\xe9")
    report = night.pickup_now()["reports"][0]
    assert (
        report["outcome"] == "rejected" and f"byte {offset} cannot be decoded" in report["reason"]
    )


def test_rows_beyond_the_cap_are_counted_in_one_summary_message(monkeypatch):
    monkeypatch.setattr("patterns.files.notes.ROW_CAP", 5)
    publish([row(n) for n in range(1, 31)])
    night.pickup_now()
    assert Booking.objects.count() == 30
    assert Message.objects.filter(kind="row.imported").count() == 5
    summary = Message.objects.get(kind="rows.summary")
    assert (summary.payload["recorded"], summary.payload["not_recorded"], summary.valid) == (
        5,
        25,
        True,
    )


def test_a_later_file_updates_the_booked_order():
    publish([row(1, status="paid")])
    night.pickup_now()
    publish([row(1, status="shipped", updated_at="2026-11-28T09:00:00+00:00")])
    night.pickup_now()
    assert Booking.objects.get(order_id=1).status == "shipped"
