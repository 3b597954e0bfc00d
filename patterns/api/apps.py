from patterns.site import styles


class ApiConfig(styles.StyleConfig):
    name = "patterns.api"
    label = "api_style"  # "api" would be ambiguous next to the project's API
    verbose_name = "Request / response API"
    card = styles.Style(
        key="api",
        app="patterns.api",
        path="request-response",
        name="Request / response API",
        motto="Ask, and get an answer.",
        sentence="One system asks a question over HTTP and waits while the other answers it.",
        used_when="Used when you need an answer right now: show an order, check a price, log in.",
        analogy="Like asking at a counter and waiting for the reply.",
    )
    contracts = "patterns.api.schemas.register"
    triggers = "patterns.api.triggers.register"
    api = {"shop": "patterns.api.api.router", "api": "patterns.api.controls.router"}
    openapi = "patterns.api.api.extend_openapi"
    urls = {"request-response/": "patterns.api.urls"}
    tour = "patterns.api.tour.TOUR"
    measurements = "patterns.api.predictions.PREDICTIONS"
    reset = "patterns.api.demo.reset"
    # Each GET here is a recorded exchange: firing one needs the right to fire in its world.
    firing_reads = ("/api/shop/",)
    # The poller asks Shop every tick it is due (its interval is set in story time on the page).
    beat_schedule = {
        "api-poller-tick": {"task": "api.poll_tick", "schedule": 1.0, "options": {"expires": 3}}
    }

    def ready(self):
        super().ready()
        from patterns.site import bodies

        # Shop reads its own bodies: a refused one is still an exchange, recorded with its answer.
        bodies.guard("/api/shop/", read_by_view=True)
