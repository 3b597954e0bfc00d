from patterns.site import styles


class WebhooksConfig(styles.StyleConfig):
    name = "patterns.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    card = styles.Style(
        key="webhooks",
        app="patterns.webhooks",
        path="webhooks",
        name="Webhooks",
        motto="Don't call us, we'll call you.",
        sentence="When something happens, the system that knows calls you at an address you gave it.",
        used_when="Used for events from other companies: a payment completed, a parcel shipped.",
        analogy="Like a fishing hook that only moves when a fish bites.",
    )
    contracts = "patterns.webhooks.contracts.register"
    triggers = "patterns.webhooks.triggers.register"
    api = {"webhooks": "patterns.webhooks.api.router"}
    openapi = "patterns.webhooks.openapi.extend_openapi"
    urls = {"webhooks/": "patterns.webhooks.urls"}
    tour = "patterns.webhooks.tour.TOUR"
    measurements = "patterns.webhooks.predictions.PREDICTIONS"
    reset = "patterns.webhooks.demo.reset"
    # The retry ladder's short steps (5 story seconds is 3.5 ms) need a fine tick; one small query when nothing is due.
    beat_schedule = {
        "webhooks-tick": {"task": "webhooks.tick", "schedule": 0.5, "options": {"expires": 4}}
    }

    def ready(self):
        super().ready()
        from patterns.site import bodies

        # The receiver reads its own bodies, after their signature, and records every verdict.
        bodies.guard("/webhooks/receiver/", read_by_view=True)
