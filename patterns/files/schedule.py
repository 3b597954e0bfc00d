"""Celery beat: a tick every real second. At the default scale a story day lasts a real minute,
so a tick is 24 story minutes: fine enough for 00:00 and 08:00. Ticks expire, so a stopped worker
does not come back to a pile of stale ones."""


def beat_schedule(time_scale):
    return {"files-tick": {"task": "files.tick", "schedule": 1.0, "options": {"expires": 3}}}
