from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "patterns.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self):
        # Make our Celery app the current one in every Django process, so `.delay()` uses its broker.
        import playground.celery  # noqa: F401

        from . import ping, roomctx  # noqa: F401  (roomctx connects Celery's signals)

        ping.register()
