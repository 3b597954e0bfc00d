from patterns.site import styles


class ToursConfig(styles.PlaygroundApp):
    name = "patterns.tours"
    label = "tours"
    verbose_name = "Guided tours and comparison"
    api = {"tours": "patterns.tours.api.router", "compare": "patterns.tours.api.compare_router"}
    urls = {"": "patterns.tours.urls"}  # /tours/, /compare/
    # A comparison run moves on once a second; a run nobody ticks simply waits.
    beat_schedule = {
        "tours-compare-tick": {
            "task": "tours.compare_tick",
            "schedule": 1.0,
            "options": {"expires": 3},
        }
    }

    def ready(self):
        from . import lanes  # noqa: F401  (registers the built-in lanes)
