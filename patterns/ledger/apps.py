from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "patterns.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        # Make our Celery app the current one in every Django process, so `.delay()` uses its broker.
        import playground.celery  # noqa: F401

        from django.db.models.signals import pre_save

        from . import bodies, columns, ping, roomctx  # noqa: F401  (roomctx connects Celery's signals)

        pre_save.connect(columns.before_save, dispatch_uid="ledger.columns")
        ping.register()
        bodies.guard("/api/")
