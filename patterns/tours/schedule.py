"""Celery beat: a tick every second moves comparison runs on (polling consumers ask, faults lift).
A run that nobody ticks simply waits; ticks expire so a stopped worker is not flooded later."""


def beat_schedule(time_scale):
    return {"tours-compare-tick": {"task": "tours.compare_tick", "schedule": 1.0, "options": {"expires": 3}}}
