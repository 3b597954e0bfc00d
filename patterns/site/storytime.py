"""Story time: schedules are told in story time ("export at 00:00", "retry after 5 min") and run
PLAYGROUND_TIME_SCALE times faster, so a lesson sees a night or a three-day retry ladder in a
minute or two. Pages show both clocks."""

from datetime import timedelta

from django.conf import settings


def scale():
    return settings.PLAYGROUND_TIME_SCALE


def to_real(story_seconds):
    """Real seconds that pass while `story_seconds` pass in the story."""
    return story_seconds / scale()


def to_story(real_seconds):
    return real_seconds * scale()


def real_delta(story_seconds):
    return timedelta(seconds=to_real(story_seconds))


def describe(story_seconds):
    """'5 min (story) = 0.21 s (real)': both clocks, for labels."""
    return f"{human(story_seconds)} (story) = {human(to_real(story_seconds))} (real)"


def human(seconds):
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size:
            value = seconds / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.0f} s"
