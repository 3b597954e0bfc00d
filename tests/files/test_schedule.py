"""The night's schedule: 00:00 export, 08:00 pickup, once per story day; a late night; and the
real thing — Celery beat and a worker running a night on the story clock."""

import pytest
from django.utils import timezone

from patterns.files import clock, night
from patterns.files.models import Booking, Clock
from patterns.ledger.models import Message
from tests.helpers import eventually

from .conftest import files_in, shop_orders

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)
H = 3600
DAY = 24 * H


def at(day, hour):
    return (day - 1) * DAY + hour * H


def test_the_export_runs_at_midnight_and_the_pickup_at_eight_once_each(shop):
    assert night.tick(at(4, 0.2)) == ["export"]
    assert night.tick(at(4, 3)) == []
    assert files_in("inbox") == ["orders-day-004.csv", "orders-day-004.csv.manifest.json"]
    assert night.tick(at(4, 8.1)) == ["pickup"]
    assert night.tick(at(4, 9)) == []
    report = Message.objects.get(kind="file.imported").payload
    assert (report["file"], report["imported"], report["age"]) == (
        "orders-day-004.csv",
        shop_orders(),
        "7 hours 54 minutes",
    )
    assert Booking.objects.count() == shop_orders() > 400


def test_a_late_export_is_missed_by_the_pickup_and_caught_up_the_next_morning(shop):
    Clock.objects.filter(pk=1).update(late_day=4)
    assert night.tick(at(4, 0.2)) == []  # not at midnight tonight
    assert night.tick(at(4, 8.1)) == ["pickup"]
    checked = Message.objects.get(kind="pickup.checked").payload
    assert checked["found"] == 0 and checked["missing"] == "orders-day-004.csv"
    assert "has not arrived" in checked["note"] and Booking.objects.count() == 0
    assert night.tick(at(4, 10.1)) == ["export"]
    assert night.tick(at(5, 0.1)) == ["export"]
    assert night.tick(at(5, 8.1)) == ["pickup"]
    morning = Message.objects.filter(kind="pickup.checked").last().payload
    assert (morning["found"], morning["imported"], morning["missing"]) == (
        2,
        2,
        None,
    )  # day 4's, and day 5's with the orders Shop took in between
    assert Booking.objects.count() == shop_orders()


def test_a_paused_clock_runs_nothing_on_its_own():
    assert night.tick() == []
    assert not Message.objects.filter(style="files").exists()


def test_a_stopped_playground_catches_up_once_not_every_missed_day(shop):
    assert night.tick(at(9, 12)) == ["export", "pickup"]
    assert Message.objects.filter(kind="file.exported").count() == 1


@pytest.mark.slow
def test_beat_and_a_worker_run_a_night_on_the_story_clock(shop, celery_worker, celery_beat):
    # The clock runs from Day 4 07:40 story time: midnight's export is due at once, the 08:00
    # pickup 20 story minutes (under a real second) later.
    Clock.objects.filter(pk=1).update(
        running=True, anchor_real=timezone.now(), anchor_story=at(4, 7 + 2 / 3)
    )
    # pickup.checked is the pickup's closing record, written after each file's file.imported:
    # waiting for file.imported alone raced it (CI once read pickup.checked before it existed).
    eventually(
        lambda: Message.objects.filter(kind="pickup.checked").exists(),
        timeout=40,
        interval=0.2,
        message="beat and the worker to run the night",
    )
    Clock.objects.filter(pk=1).update(running=False)
    imported = Message.objects.get(kind="file.imported").payload  # written before pickup.checked
    assert imported["file"] == "orders-day-004.csv" and imported["imported"] == shop_orders()
    assert Message.objects.filter(kind="pickup.checked").first().payload["trigger"] == "schedule"
    assert clock.day_of(clock.story_now(Clock.objects.get(pk=1))) >= 4
