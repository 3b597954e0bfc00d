"""Celery beat: the outbox sweeper ticks every real second.

A tick is one small read when nothing waits; after a broker outage it hands the held jobs over.
`expires` drops ticks that waited in a backlog (the next one does the same work).
"""

TICK_SECONDS = 1.0


def beat_schedule(time_scale):
    return {
        "queue-sweep": {
            "task": "queue.sweep",
            "schedule": TICK_SECONDS,
            "options": {"expires": TICK_SECONDS * 5, "queue": "playground"},
        }
    }
