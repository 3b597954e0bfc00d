from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "patterns.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from . import contracts, outbox

        contracts.register_contracts()
        outbox.register_triggers()
