"""Helpers for the file drop's tests: empty folders and a paused story clock (Day 3 · 09:00) for
every test — a beat running for other tests must never export in the middle of one — and small
CSV builders."""

import shutil

import pytest
from django.utils import timezone

from patterns.files import csvcontract, folders
from patterns.files.models import Clock

GOOD = [
    "{n}",
    "{c}",
    "Customer {n}",
    "{n}.50",
    "EUR",
    "paid",
    "2026-11-27T10:00:00+00:00",
    "2026-11-27T11:00:00+00:00",
]


@pytest.fixture(autouse=True)
def files_world(transactional_db):
    shutil.rmtree(folders.root(), ignore_errors=True)
    Clock.objects.create(
        pk=1,
        running=False,
        anchor_real=timezone.now(),
        anchor_story=2 * 86400 + 9 * 3600,
        last_export_day=3,
        last_pickup_day=3,
    )
    yield
    shutil.rmtree(folders.root(), ignore_errors=True)


def row(n, **changes):
    cells = [cell.format(n=n, c=n % 7 + 1) for cell in GOOD]
    for name, value in changes.items():
        cells[csvcontract.NAMES.index(name)] = value
    return cells


def csv_text(rows, header=None):
    return (
        "\r\n".join([",".join(header or csvcontract.NAMES)] + [",".join(r) for r in rows]) + "\r\n"
    )


def files_in(folder):
    return sorted(p.name for p in folders.folder(folder).iterdir())


def shop_orders():
    """How many orders Shop has now (each export first lets it take a few new ones)."""
    from patterns.shop import store

    return len(list(store.iter_orders()))
