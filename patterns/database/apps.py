from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "patterns.database"
    label = "database"
    verbose_name = "Direct database access"

    def ready(self):
        from . import contracts, fire

        contracts.register_all()
        fire.register_all()
