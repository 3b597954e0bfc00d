from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "patterns.api"
    label = "api_style"  # "api" would be ambiguous next to the project's API
    verbose_name = "Request/response API"

    def ready(self):
        from patterns.ledger import bodies

        from . import schemas, triggers

        schemas.register_contracts()
        triggers.register()
        # Shop reads its own bodies: a refused one is still an exchange, recorded with its answer.
        bodies.guard("/api/shop/", read_by_view=True)
