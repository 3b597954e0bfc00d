"""Celery beat: a tick every real second lets the poller keep any interval from 1 to 60 s real
(its interval is set in story time on the page). Ticks expire, so a stopped worker does not
come back to a pile of stale polls."""


def beat_schedule(time_scale):
    return {"api-poller-tick": {"task": "api.poll_tick", "schedule": 1.0, "options": {"expires": 3}}}
