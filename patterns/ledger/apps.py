from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "patterns.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        from . import roomctx  # noqa: F401  (connects Celery's signals, so a room travels with a job)
