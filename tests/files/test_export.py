"""Shop's export: atomic files, manifests, the formula guard, and a writer killed mid-write."""

import csv
import json
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from patterns.files import csvcontract, folders, night, reader
from patterns.files.models import Booking
from tests.helpers import eventually

from .conftest import files_in, row, shop_orders

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)
ROOT = settings.BASE_DIR

KILLED_WRITER = """
import os, sys, time
import django
django.setup()
from patterns.files import writer

def rows():
    for n in range(1, 10**9):
        if n == 2500:
            open(sys.argv[1], "w").close()  # tell the test: a first batch is on disk, still writing
        if n >= 2500:
            time.sleep(0.01)
        yield [n, 1, "Ada", "1.00", "EUR", "paid", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"]

writer.publish(rows(), story=0.0, name="killed.csv")
"""


def test_shops_export_writes_every_order_with_a_manifest_and_delivers_it(shop):
    manifest = night.export_now()
    outbox, inbox = folders.folder("outbox"), folders.folder("inbox")
    name = manifest["delivered_as"]
    assert files_in("outbox") == [name, name + folders.MANIFEST]
    assert files_in("inbox") == [name, name + folders.MANIFEST]
    assert reader.sha256_of(inbox / name) == manifest["sha256"] == reader.sha256_of(outbox / name)
    text = (inbox / name).read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(csvcontract.NAMES)
    assert manifest["rows"] == shop_orders() == len(text.splitlines()) - 1
    assert 2 <= len(manifest["new_orders"]) <= 4 and manifest["rows"] == 400 + len(
        manifest["new_orders"]
    )  # Shop took a few new orders first
    assert (manifest["columns"], manifest["contract_version"]) == (csvcontract.NAMES, "1")
    assert night.pickup_now()["imported"] == 1 and Booking.objects.count() == shop_orders()


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "'quoted"]
)
def test_every_dangerous_leading_character_is_escaped_on_export_and_round_trips_on_import(
    dangerous,
):
    manifest = night.export_now(
        rows=[row(1, customer_name=dangerous), row(2, customer_name="Plain")]
    )
    with open(
        folders.folder("inbox") / manifest["delivered_as"], encoding="utf-8", newline=""
    ) as handle:
        cells = list(csv.reader(handle))[1]
    assert (
        cells[2] == "'" + dangerous
    )  # one ' in front: a spreadsheet shows the cell as text, never runs it
    night.pickup_now()
    assert Booking.objects.get(order_id=1).customer_name == dangerous
    assert Booking.objects.get(order_id=2).customer_name == "Plain"


def test_a_writer_killed_mid_write_leaves_no_visible_csv_and_nothing_imported(tmp_path):
    ready = tmp_path / "ready"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="playground.settings",
        PLAYGROUND_DATA_DIR=str(settings.DATA_DIR),
    )
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(ready)], cwd=ROOT, env=env)
    try:

        def writing():
            assert process.poll() is None, "the writer exited before it was killed"
            return ready.exists()

        eventually(writing, timeout=30, message="the writer to get going")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    outbox = folders.folder("outbox")
    assert files_in("outbox") == [".killed.csv.part"]  # only the temporary name, and no manifest
    assert (outbox / ".killed.csv.part").stat().st_size > 0
    assert files_in("inbox") == []
    summary = night.pickup_now()
    assert (summary["found"], summary["imported"]) == (0, 0) and Booking.objects.count() == 0


def test_a_manifest_only_ever_describes_a_complete_file():
    manifest = night.export_now(rows=[row(n) for n in range(1, 4)])
    side = json.loads(
        (folders.folder("inbox") / (manifest["delivered_as"] + folders.MANIFEST)).read_text()
    )
    assert side["sha256"] == reader.sha256_of(folders.folder("inbox") / manifest["delivered_as"])
    assert side["file"] == manifest["delivered_as"] and side["rows"] == 3
