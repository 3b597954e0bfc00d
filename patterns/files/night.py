"""The night's schedule, and the actions behind the buttons.

Beat ticks every real second (`schedule.py`); `tick()` looks at the story clock and runs what is
due: Shop's export at 00:00 (10:00 on a late night), Accounting's pickup at 08:00. Each runs once
per story day. A playground that was stopped for days does not replay them: it catches up once.
"""

import random
from decimal import Decimal

from django.db import transaction

from patterns.shop import store

from . import clock, notes, reader, writer
from .models import Clock

NEW_ORDERS = (2, 4)  # how many orders Shop takes between two exports


def shop_takes_orders():
    """Shop keeps selling between two exports, so each file holds orders the last one did not and
    every pickup has something new to book. Returns the new orders' ids (none if Shop has no
    customers yet)."""
    customers = store.list_customers(limit=100)
    if not customers:
        return []
    return [
        store.create_order(
            random.choice(customers)["id"], Decimal(random.randint(500, 15000)) / 100
        )["id"]
        for _ in range(random.randint(*NEW_ORDERS))
    ]


def export_now(
    *, story=None, scheduled=False, bom=False, rows=None, header=None, note="", sell=None
):
    """Shop writes its orders (`rows`, else every order it has) and delivers the file. Exporting
    Shop's own orders (`sell`, by default when `rows` is not given), it first takes a few new ones."""
    story = clock.story_now(clock.get()) if story is None else story
    taken = shop_takes_orders() if (rows is None if sell is None else sell) else []
    if taken:
        sold = f"Shop took {len(taken)} new orders since its last export"
        note = f"{note or ('the nightly export' if scheduled else 'exported on request')}; {sold}"
    kwargs = {"header": header} if header else {}
    manifest = writer.publish(
        writer.shop_rows() if rows is None else rows,
        story=story,
        scheduled=scheduled,
        bom=bom,
        **kwargs,
    )
    label = clock.label(story)
    notes.file_written(
        "file.exported",
        "write",
        "shop",
        "outbox",
        manifest,
        story_label=label,
        note=note or ("the nightly export" if scheduled else "exported on request"),
    )
    notes.file_written(
        "file.delivered",
        "deliver",
        "outbox",
        "inbox",
        {**manifest, "file": manifest["delivered_as"]},
        story_label=label,
        note="hard-linked into Accounting's inbox, then renamed; manifest last",
    )
    return {**manifest, "new_orders": taken}


def pickup_now(*, story=None, trigger="button", expected=None):
    return reader.pickup(story=story, trigger=trigger, expected=expected)


def _claim(field, day):
    """Mark today's export or pickup as done; False if another tick already did."""
    with transaction.atomic():
        row = Clock.objects.select_for_update().filter(pk=1).first()
        if row is None or getattr(row, field) >= day:
            return False
        setattr(row, field, day)
        row.save(update_fields=[field])
        return True


def tick(story=None):
    """Run what the schedule says is due now. Returns what ran (for tests and the fire command)."""
    state = Clock.objects.filter(pk=1).first()
    if state is None or not state.running and story is None:
        return []
    story = clock.story_now(state) if story is None else story
    day, time_of_day, ran = clock.day_of(story), story % clock.DAY, []
    export_at = clock.LATE_EXPORT_AT if state.late_day == day else clock.EXPORT_AT
    if time_of_day >= export_at and state.last_export_day < day and _claim("last_export_day", day):
        note = (
            "the nightly export — late tonight: it ran at 10:00 instead of 00:00"
            if state.late_day == day
            else ""
        )
        export_now(story=story, scheduled=True, note=note)
        ran.append("export")
    if (
        time_of_day >= clock.PICKUP_AT
        and state.last_pickup_day < day
        and _claim("last_pickup_day", day)
    ):
        pickup_now(
            story=story,
            trigger="schedule",
            expected=writer.export_name(day * clock.DAY - clock.DAY, True),
        )
        ran.append("pickup")
    return ran
