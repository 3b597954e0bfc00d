from patterns.site import styles


class QueuesConfig(styles.StyleConfig):
    name = "patterns.queues"
    label = "queues"
    verbose_name = "Message queue"
    card = styles.Style(
        key='queue',
        app='patterns.queues',
        path='queue',
        name='Message queue',
        motto="Take a ticket; we'll get to it.",
        sentence='Work is put in a line and background workers take it one job at a time.',
        used_when='Used for slow or bursty work: sending emails, resizing photos, absorbing spikes.',
        analogy='Like the queue at a counter: nobody is turned away, everyone is served in turn.',
    )
    contracts = "patterns.queues.contracts.register"
    triggers = "patterns.queues.triggers.register"
    api = {"queue": "patterns.queues.api.router"}
    urls = {"queue/": "patterns.queues.urls"}
    tour = "patterns.queues.tour.TOUR"
    reset = "patterns.queues.demo.reset"
    # The sweeper sends what waited in the outbox while Redis was away.
    beat_schedule = {"queue-sweep": {"task": "queue.sweep", "schedule": 1.0, "options": {"expires": 5, "queue": "playground"}}}
