"""Celery beat: the sweeper (and the poller) tick twice a real second.

The ladder's short steps (5 story seconds is 3.5 ms at the default scale) need a fine tick; the
job is one small query when nothing is due. `expires` drops ticks a busy worker could not take.
"""

TICK_SECONDS = 0.5


def beat_schedule(time_scale):
    return {
        "webhooks-tick": {
            "task": "webhooks.tick",
            "schedule": TICK_SECONDS,
            "options": {"expires": TICK_SECONDS * 8},
        }
    }
