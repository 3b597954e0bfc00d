from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "patterns.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from patterns.ledger import bodies

        from . import contracts, outbox

        contracts.register_contracts()
        outbox.register_triggers()
        # The receiver reads its own bodies, after their signature, and records every verdict.
        bodies.guard("/webhooks/receiver/", read_by_view=True)
