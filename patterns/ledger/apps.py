from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "patterns.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        from django.db.models.signals import pre_save

        from . import columns, roomctx  # noqa: F401  (roomctx connects Celery's signals, so a room travels with a job)

        pre_save.connect(columns.before_save, dispatch_uid="ledger.columns")
