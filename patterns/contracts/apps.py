from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "patterns.contracts"
    label = "contracts"
    verbose_name = "Contracts"

    def ready(self):
        from . import feed, versioning

        feed.register()
        versioning.register()
