"""Your own file: an upload lands in the inbox like any delivery — atomically, with a manifest
the server writes once it has the whole file. Refused, with nothing written: names that try to
leave the folder, files over the size limit, and bytes that are not UTF-8 (with their offset)."""

import codecs
import csv
import hashlib
import uuid

from django.conf import settings

from . import clock, folders, notes

MAX_BYTES = getattr(settings, "FILES_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
MULTIPART_OVERHEAD = 64 * 1024  # the form around the file: boundaries, headers, other fields


class Refused(Exception):
    def __init__(self, status, error, detail, field="file"):
        super().__init__(detail)
        self.status, self.error, self.detail, self.field = status, error, detail, field


def _count_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            return max(0, sum(1 for _ in reader) - 1)
        except csv.Error as exc:
            raise Refused(
                400, "bad_csv", f"line {reader.line_num}: the CSV cannot be read: {exc}"
            ) from None


def save(uploaded, raw_name):
    """Write an uploaded file into the inbox; returns the manifest. Raises Refused."""
    try:
        name = folders.sanitise(raw_name)
    except folders.BadName as exc:
        raise Refused(400, "bad_file_name", str(exc)) from None
    if uploaded.size > MAX_BYTES:
        raise Refused(
            413,
            "file_too_large",
            f"the file is {uploaded.size} bytes; the limit is {MAX_BYTES} bytes",
        )
    inbox, story = folders.folder("inbox"), clock.story_now(clock.get())
    digest, decoder, offset = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")(), 0
    with folders.locked():
        name = folders.unique(inbox, name)
        out = folders.AtomicFile(inbox / name)
        try:
            for chunk in uploaded.chunks():
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise Refused(
                        400,
                        "not_utf8",
                        f"the file is not UTF-8: byte {offset + exc.start} cannot be decoded "
                        "(save it as UTF-8 — “CSV UTF-8” in Excel — and try again)",
                    ) from None
                digest.update(chunk)
                out.write(chunk)
                offset += len(chunk)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise Refused(
                    400,
                    "not_utf8",
                    f"the file is not UTF-8: it ends inside a character at byte {offset + exc.start}",
                ) from None
            if offset == 0:
                raise Refused(400, "empty_file", "the file is empty")
            out.handle.flush()
            rows = _count_rows(out.temp)
        except BaseException:
            out.abort()
            raise
        out.close()
        manifest = {
            "file": name,
            "sha256": digest.hexdigest(),
            "rows": rows,
            "bytes": offset,
            "columns": [],
            "contract": "files.orders_row@1",
            "exchange_id": "f" + uuid.uuid4().hex[:24],
            "writer": "you (upload)",
            "written_story": story,
            "written_label": clock.label(story),
            "original_name": raw_name[:200],
        }
        folders.write_json(inbox / (name + folders.MANIFEST), manifest)
    notes.file_written(
        "file.uploaded",
        "upload",
        "you",
        "inbox",
        manifest,
        story_label=clock.label(story),
        note=f"uploaded as {raw_name[:100]!r}" if raw_name != name else "uploaded",
    )
    return manifest
