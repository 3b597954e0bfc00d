from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "patterns.contracts"
    label = "contracts"
    verbose_name = "Contracts"
