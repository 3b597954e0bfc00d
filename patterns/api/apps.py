from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "patterns.api"
    label = "api_style"  # "api" would be ambiguous next to the project's API
    verbose_name = "Request/response API"

    def ready(self):
        from . import schemas, triggers

        schemas.register_contracts()
        triggers.register()
