from patterns.site import styles


class QueuesConfig(styles.StyleConfig):
    name = "patterns.queue"
    label = "queues"  # its tables were made as queues_*, before the folder was named for the style
    verbose_name = "Message queue"
    card = styles.Style(
        key="queue",
        app="patterns.queue",
        path="queue",
        name="Message queue",
        motto="Take a ticket; we'll get to it.",
        sentence="Work is put in a line and background workers take it one job at a time.",
        used_when="Used for slow or bursty work: sending emails, resizing photos, absorbing spikes.",
        analogy="Like the queue at a counter: nobody is turned away, everyone is served in turn.",
    )
    contracts = "patterns.queue.contracts.register"
    triggers = "patterns.queue.triggers.register"
    api = {"queue": "patterns.queue.api.router"}
    urls = {"queue/": "patterns.queue.urls"}
    tour = "patterns.queue.tour.TOUR"
    measurements = "patterns.queue.predictions.PREDICTIONS"
    reset = "patterns.queue.demo.reset"
    # One for the whole server, so one for every room: only the owner changes it.
    shared_controls = ("/api/queue/workers",)
    # The sweeper sends what waited in the outbox while Redis was away.
    beat_schedule = {
        "queue-sweep": {
            "task": "queue.sweep",
            "schedule": 1.0,
            "options": {"expires": 5, "queue": "playground"},
        }
    }
