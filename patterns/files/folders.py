"""The exchange folders under PLAYGROUND_DATA_DIR/files and the safe ways to use them.

  outbox/     what Shop has sent (its own copy)
  inbox/      Accounting's drop folder: Shop's deliveries and your uploads land here
  processed/  files Accounting has read, each with its report
  rejected/   files Accounting refused, each with its report

Files appear atomically: written under a temporary name (`.name.part`), flushed, fsynced, then
renamed — a reader sees the whole file or none of it. A manifest (`name.manifest.json`) follows
the file, and a reader only trusts a CSV whose manifest is there.
"""

import fcntl
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

FOLDERS = ("outbox", "inbox", "processed", "rejected")
MANIFEST = ".manifest.json"
REPORT = ".report.json"
PART = ".part"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
KEEP = 40  # files kept per folder (with their manifests and reports); older ones are removed


class BadName(ValueError):
    pass


def root():
    path = Path(settings.DATA_DIR) / "files"
    for name in FOLDERS:
        (path / name).mkdir(parents=True, exist_ok=True)
    return path


def folder(name):
    return root() / name


def check_name(name):
    """A bare file name that stays in its folder, or BadName: no directories, no NUL, no dot files."""
    if not isinstance(name, str) or "\x00" in name:
        raise BadName("a file name cannot contain a NUL byte")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise BadName("a file name cannot contain a path (no / or \\ and no ..)")
    if not NAME_RE.match(name):
        raise BadName(
            "a file name may use letters, digits, '.', '_' and '-' (at most 100), and cannot start with a dot"
        )
    return name


def sanitise(raw, suffix=".csv"):
    """An uploaded file's name made safe: the last path part only, odd characters replaced."""
    if "\x00" in (raw or ""):
        raise BadName("a file name cannot contain a NUL byte")
    base = re.split(r"[\\/]", raw or "")[-1].strip()
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._-")[:90] or "upload"
    if not base.lower().endswith(suffix):
        base += suffix
    return check_name(base)


def inside(directory, name):
    """directory/name, checked to be a direct child of directory."""
    path = (directory / check_name(name)).resolve()
    if path.parent != directory.resolve():
        raise BadName("a file name cannot leave its folder")
    return path


def unique(directory, name):
    """`name`, or name-2, name-3 … so nothing already in `directory` is overwritten."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while (directory / candidate).exists() or (directory / (candidate + MANIFEST)).exists():
        n += 1
        candidate = f"{stem}-{n}.{ext}" if dot else f"{name}-{n}"
    return candidate


class AtomicFile:
    """Write bytes to `.name.part`; on close(): flush, fsync, rename to `name`, fsync the folder."""

    def __init__(self, path):
        self.path = Path(path)
        self.temp = self.path.with_name(f".{self.path.name}{PART}")
        self.handle = open(self.temp, "wb")

    def write(self, data):
        self.handle.write(data)

    def close(self):
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.temp, self.path)
        _fsync_dir(self.path.parent)

    def abort(self):
        self.handle.close()
        self.temp.unlink(missing_ok=True)


def _fsync_dir(directory):
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path, data):
    out = AtomicFile(path)
    out.write(json.dumps(data, indent=2, sort_keys=True).encode())
    out.close()


def read_json(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def move(path, directory):
    """Move a CSV with its manifest and report into `directory` (renames: atomic, same filesystem).
    Returns the new path. The CSV moves first, so a manifest never stands without its file."""
    name = unique(directory, path.name)
    target = directory / name
    os.replace(path, target)
    for extra in (MANIFEST, REPORT):
        side = path.with_name(path.name + extra)
        if side.exists():
            os.replace(side, directory / (name + extra))
    return target


def prune(directory, keep=KEEP):
    csvs = sorted(
        (
            p
            for p in directory.iterdir()
            if p.is_file()
            and not p.name.endswith((MANIFEST, REPORT))
            and not p.name.startswith(".")
        ),
        key=lambda p: p.stat().st_mtime,
    )
    for old in csvs[:-keep] if len(csvs) > keep else []:
        for path in (old, old.with_name(old.name + MANIFEST), old.with_name(old.name + REPORT)):
            path.unlink(missing_ok=True)


@contextmanager
def locked():
    """One reader or mover at a time, across processes (the page's button, beat's schedule, a script)."""
    with open(root() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def find(name, directory=None):
    """(folder, path) of a file (CSV, manifest or report) in `directory`, else the first folder that has it; or None.
    A name is unique within a folder, not across them (Shop's outbox keeps a copy of what it delivered)."""
    check_name(name)
    for where in [directory] if directory else FOLDERS:
        path = inside(folder(where), name)
        if path.is_file():
            return directory, path
    return None
