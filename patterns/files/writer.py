"""Shop's side: write orders as CSV, publish atomically with a manifest, deliver to the inbox.

The CSV is hashed as it is written (sha256 of the exact bytes, BOM included), in batches of
rows, so a million-row export never sits in memory. `write_naive` is the writer files are famous
for: straight into the final name, no manifest — what a crash mid-write leaves behind.
"""

import csv
import hashlib
import io
import os
import uuid

from django.utils import timezone

from patterns.shop import store

from . import clock, csvcontract, folders

BOM = b"\xef\xbb\xbf"
BATCH = 2000


def shop_rows():
    """Shop's orders as CSV rows (the agreed fields, plus the customer's name), streamed by id."""
    names, after = {}, 0
    while customers := store.list_customers(after_id=after, limit=500):
        names.update((c["id"], c["name"]) for c in customers)
        after = customers[-1]["id"]
    for o in store.iter_orders(batch=BATCH):
        yield [
            o["id"],
            o["customer_id"],
            names.get(o["customer_id"], ""),
            o["total"],
            o["currency"],
            o["status"],
            o["created_at"],
            o["updated_at"],
        ]


def write_csv(out, rows, *, header=csvcontract.NAMES, bom=False):
    """Write header + rows (every cell formula-escaped) to a binary `out`. Returns (rows, sha256, bytes)."""
    digest, buffer, count, size = hashlib.sha256(), io.StringIO(), 0, 0
    writer = csv.writer(buffer)
    escape = csvcontract.escape

    def flush():
        nonlocal size
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        digest.update(data)
        out.write(data)
        size += len(data)

    if bom:
        digest.update(BOM)
        out.write(BOM)
        size += len(BOM)
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape(cell) for cell in row])
        count += 1
        if count % BATCH == 0:
            flush()
    flush()
    return count, digest.hexdigest(), size


def export_name(story, scheduled):
    day = clock.day_of(story)
    if scheduled:
        return f"orders-day-{day:03d}.csv"
    minutes = int(story % clock.DAY) // 60
    return f"orders-day-{day:03d}-{minutes // 60:02d}{minutes % 60:02d}.csv"


def manifest_for(name, rows, sha, size, *, header, bom, story, exchange, writer="shop"):
    return {
        "file": name,
        "sha256": sha,
        "rows": rows,
        "bytes": size,
        "columns": list(header),
        "contract": f"files.orders_row@{csvcontract.VERSION}",
        "contract_version": csvcontract.VERSION,
        "bom": bom,
        "exchange_id": exchange,
        "writer": writer,
        "written_story": story,
        "written_label": clock.label(story),
        "written_at": timezone.now().isoformat(),
    }


def publish(rows, *, story, scheduled=False, bom=False, header=csvcontract.NAMES, name=None):
    """Write the CSV to Shop's outbox atomically, then its manifest; deliver both to the inbox.
    Returns the manifest (with `delivered_as`: the name in the inbox)."""
    outbox = folders.folder("outbox")
    name = folders.unique(outbox, name or export_name(story, scheduled))
    out = folders.AtomicFile(outbox / name)
    try:
        count, sha, size = write_csv(out, rows, header=header, bom=bom)
    except BaseException:
        out.abort()
        raise
    out.close()
    manifest = manifest_for(
        name,
        count,
        sha,
        size,
        header=header,
        bom=bom,
        story=story,
        exchange="f" + uuid.uuid4().hex[:24],
    )
    folders.write_json(outbox / (name + folders.MANIFEST), manifest)
    manifest["delivered_as"] = deliver(outbox / name, manifest)
    folders.prune(outbox)
    return manifest


def deliver(path, manifest):
    """Hand a published file to Accounting's inbox: a hard link under a temporary name, renamed
    (atomic, no copy); the manifest last. Returns the name in the inbox."""
    inbox = folders.folder("inbox")
    with folders.locked():
        name = folders.unique(inbox, path.name)
        temp = inbox / f".{name}{folders.PART}"
        temp.unlink(missing_ok=True)
        try:
            os.link(path, temp)
        except OSError:
            temp.write_bytes(path.read_bytes())
        os.replace(temp, inbox / name)
        folders.write_json(inbox / (name + folders.MANIFEST), {**manifest, "file": name})
    return name


def write_naive(rows, name, *, stop_after):
    """The famous mistake: write straight to the final name, and die after `stop_after` rows (no
    manifest is ever written). Returns (rows written, bytes written)."""
    path = folders.inside(folders.folder("inbox"), folders.unique(folders.folder("inbox"), name))
    with open(path, "wb") as out:
        count, _, size = write_csv(out, (row for n, row in enumerate(rows) if n < stop_after))
    return path.name, count, size
