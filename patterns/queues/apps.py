from django.apps import AppConfig


class QueuesConfig(AppConfig):
    name = "patterns.queues"
    label = "queues"
    verbose_name = "Message queue"

    def ready(self):
        from . import contracts, triggers

        contracts.register()
        triggers.register()
