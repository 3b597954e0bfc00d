"""Benchmark: Shop's CSV export and Accounting's import of 100,000 orders, beside a baseline of the
plain `csv` module in the same run; and the importer's peak memory on a 1,000,000-row file.

    .venv/bin/python bench/files.py [--orders 100000] [--big 1000000]

Export: `night.export_now()` — Shop's orders read through Shop's own code, every cell formula-
escaped, hashed while written, temporary file + fsync + rename, manifest, delivery to the inbox,
ledger messages. Baseline: the same rows from the same query written with `csv.writer`, nothing else.
Import: `reader.pickup()` — checksum, BOM-tolerant decoding, header and per-row validation, bulk
upserts in one transaction, report, move, ledger (first 100 rows + a summary). Baseline: `csv.reader`
over the same file and plain `bulk_create` of the same rows, as strings, into the same table.
Target: at least 0.3x the baseline both ways. Peak memory: the 1M-row import runs in a child
process; its peak RSS must stay under 200 MB (it streams the file, batch by batch).
Runs on its own data dir and SQLite (or throwaway PostgreSQL databases when DATABASE_URL names a
server).
"""

import argparse
import csv
import logging
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

# The path, a fresh data dir, the databases, Django: before any of the project's imports.
from prelude import DATA, ROOT

from patterns.files import clock, folders, night, writer
from patterns.files.models import Booking, ImportedFile
from patterns.shop import schema, store
from patterns.shop.models import Customer, Order
from patterns.shop.seed import seed

CHILD = """
import os, sys, time
import django
django.setup()
import logging
logging.getLogger("patterns.feed.doorbell").setLevel(logging.ERROR)
from patterns.files import reader
started = time.perf_counter()
summary = reader.pickup(story=0.0)
took = time.perf_counter() - started
# VmHWM: this process's own peak RSS (ru_maxrss would include the parent's, inherited over fork)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(summary["reports"][0]["imported"], took, peak)
"""


def fill_shop(orders):
    people = list(Customer.objects.using(schema.DB).order_by("id"))
    missing = orders - Order.objects.using(schema.DB).count()
    now = timezone.now()
    batch = [
        Order(
            customer=people[n % len(people)],
            total=Decimal(n % 25000 + 500) / 100,
            status="paid",
            created_at=now,
            updated_at=now,
        )
        for n in range(missing)
    ]
    Order.objects.using(schema.DB).bulk_create(batch, batch_size=5000)


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def baseline_export(path):
    with open(path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(writer.csvcontract.NAMES)
        names = {c["id"]: c["name"] for c in store.list_customers(limit=10_000)}
        for o in store.iter_orders(batch=writer.BATCH):
            w.writerow(
                [
                    o["id"],
                    o["customer_id"],
                    names.get(o["customer_id"], ""),
                    o["total"],
                    o["currency"],
                    o["status"],
                    o["created_at"],
                    o["updated_at"],
                ]
            )


def baseline_import(path):
    fields = writer.csvcontract.NAMES
    with transaction.atomic(), open(path, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        batch = []
        for line, cells in enumerate(rows, start=2):
            batch.append(Booking(**dict(zip(fields, cells)), source_file="baseline", line=line))
            if len(batch) >= 2000:
                Booking.objects.bulk_create(batch)
                batch = []
        Booking.objects.bulk_create(batch)


def pure_csv(path):
    """The csv module alone, no database at all: read the file, then write the same rows back out."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    _, read_s = timed(lambda: sum(1 for _ in csv.reader(open(path, newline="", encoding="utf-8"))))

    def write():
        with open(DATA / "pure.csv", "w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)

    _, write_s = timed(write)
    return write_s, read_s


def big_file(rows):
    """A 1M-row file with its manifest in the inbox, written with the exporter's own writer."""

    def generate():
        for n in range(1, rows + 1):
            yield [
                n,
                n % 40 + 1,
                f"Customer {n % 997}",
                f"{n % 50000 / 100:.2f}",
                "EUR",
                "paid",
                "2026-11-27T10:00:00+00:00",
                "2026-11-27T11:00:00+00:00",
            ]

    return writer.publish(generate(), story=0.0, name="big.csv")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    logging.getLogger("patterns.feed.doorbell").setLevel(
        logging.ERROR
    )  # no Redis here: the doorbell is not measured
    call_command("migrate", verbosity=0)
    call_command("migrate", database="shop", verbosity=0)
    print(f"Filling Shop up to {args.orders:,} orders …")
    seed()  # the playground may have seeded Shop already on migrate: then this adds nothing
    fill_shop(args.orders)
    clock.get(running=False)

    base_path = DATA / "baseline.csv"
    _, base_export_s = timed(lambda: baseline_export(base_path))
    manifest, export_s = timed(night.export_now)
    assert manifest["rows"] == args.orders, (manifest["rows"], args.orders)
    _, base_import_s = timed(lambda: baseline_import(base_path))
    Booking.objects.all().delete()
    summary, import_s = timed(night.pickup_now)
    report = summary["reports"][0]
    assert report["imported"] == args.orders and Booking.objects.count() == args.orders, report

    n = args.orders
    pure_write_s, pure_read_s = pure_csv(base_path)
    print(
        f"\nExport of {n:,} orders: {n / export_s:,.0f} rows/s (baseline csv.writer {n / base_export_s:,.0f} rows/s)"
        f" -> {base_export_s / export_s:.2f}x the baseline (target >= 0.3x)"
    )
    print(
        f"Import of {n:,} orders: {n / import_s:,.0f} rows/s (baseline csv.reader + bulk_create {n / base_import_s:,.0f} rows/s)"
        f" -> {base_import_s / import_s:.2f}x the baseline (target >= 0.3x)"
    )
    print(
        f"For scale, the csv module alone (rows in memory, no database): writes {n / pure_write_s:,.0f} rows/s "
        f"(export = {pure_write_s / export_s:.2f}x that), reads {n / pure_read_s:,.0f} rows/s (import = {pure_read_s / import_s:.3f}x that)"
    )

    if args.big:
        for path in folders.folder("processed").iterdir():
            path.unlink()
        Booking.objects.all().delete()
        ImportedFile.objects.all().delete()
        big, make_s = timed(lambda: big_file(args.big))
        print(
            f"\nWrote a {args.big:,}-row file ({big['bytes'] / 1e6:.0f} MB) in {make_s:.1f} s; importing it in a child process …"
        )
        out = subprocess.run(
            [sys.executable, "-c", CHILD],
            env=dict(os.environ),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            print(out.stderr[-3000:])
            raise SystemExit(1)
        imported, took, peak_kb = out.stdout.split()[-3:]
        peak_mb = int(peak_kb) / 1024
        print(
            f"Import of {int(imported):,} rows: {int(imported) / float(took):,.0f} rows/s; peak memory (RSS) "
            f"{peak_mb:.0f} MB (target < 200 MB) -> {'OK' if peak_mb < 200 else 'OVER'}"
        )
    print(
        f"\n(data dir: {DATA}; own peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
