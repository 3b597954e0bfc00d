from django.apps import AppConfig


class StreamsConfig(AppConfig):
    name = "patterns.streams"
    label = "streams"
    verbose_name = "Streaming"

    def ready(self):
        from . import contracts, triggers

        contracts.register()
        triggers.register()
