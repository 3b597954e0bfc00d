from django.apps import AppConfig


class ToursConfig(AppConfig):
    name = "patterns.tours"
    label = "tours"
    verbose_name = "Guided tours and comparison"

    def ready(self):
        from . import lanes  # noqa: F401  (registers the built-in lanes)
