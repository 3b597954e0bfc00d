"""The story clock: a night and a morning, in story time (PLAYGROUND_TIME_SCALE times faster).

Shop exports at 00:00, Accounting picks up at 08:00. A "late" night moves that night's export to
10:00, after the pickup. Story seconds count from Day 1 00:00; a new clock starts at Day 1 20:00,
so the first export comes four story hours (10 real seconds at the default scale) after it starts.
"""

from django.db import transaction
from django.utils import timezone

from patterns.site import storytime

from .models import Clock

DAY = 24 * 3600
EXPORT_AT = 0
PICKUP_AT = 8 * 3600
LATE_EXPORT_AT = 10 * 3600
START_AT = 20 * 3600


def get(*, running=True):
    """The clock (created running at Day 1 20:00 when first needed)."""
    clock, _ = Clock.objects.get_or_create(
        pk=1,
        defaults={
            "running": running,
            "anchor_real": timezone.now(),
            "anchor_story": START_AT,
            "last_export_day": 1,
            "last_pickup_day": 1,
        },
    )
    return clock


def story_now(clock, now=None):
    if not clock.running:
        return clock.anchor_story
    return clock.anchor_story + storytime.to_story(
        ((now or timezone.now()) - clock.anchor_real).total_seconds()
    )


def day_of(story):
    return int(story // DAY) + 1


def label(story):
    """'Day 3 · 08:00'"""
    seconds = int(story % DAY)
    return f"Day {day_of(story)} · {seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def age(seconds):
    """'8 hours', '1 day 2 hours', '35 minutes'"""
    seconds = max(0, int(seconds))
    days, hours, minutes = seconds // DAY, seconds % DAY // 3600, seconds % 3600 // 60
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    if hours:
        parts.append(f"{hours} hour{'s' * (hours != 1)}")
    if minutes and not days:
        parts.append(f"{minutes} minute{'s' * (minutes != 1)}")
    return " ".join(parts) or "less than a minute"


def set_running(running):
    with transaction.atomic():
        clock = get()
        clock = Clock.objects.select_for_update().get(pk=clock.pk)
        if clock.running != running:
            clock.anchor_story, clock.anchor_real, clock.running = (
                story_now(clock),
                timezone.now(),
                running,
            )
            clock.save()
        return clock


def describe(clock=None):
    clock = clock or get()
    story = story_now(clock)
    return {
        "running": clock.running,
        "story_seconds": story,
        "label": label(story),
        "day": day_of(story),
        "scale": storytime.scale(),
        "export_at": "00:00",
        "pickup_at": "08:00",
        "late_day": clock.late_day or None,
        "real_seconds_per_day": storytime.to_real(DAY),
        "server_time": timezone.now().isoformat(),
    }
