from patterns.site import styles


class LedgerConfig(styles.PlaygroundApp):
    name = "patterns.ledger"
    label = "ledger"
    verbose_name = "Ledger"
    api = {"": "patterns.ledger.api.router"}
    urls = {"": "patterns.ledger.urls"}  # the home page, /health, the message log
    websocket_routes = "patterns.ledger.routing.websocket_urlpatterns"

    def ready(self):
        # Make our Celery app the current one in every Django process, so `.delay()` uses its broker.
        import playground.celery  # noqa: F401

        from . import ping, roomctx  # noqa: F401  (roomctx connects Celery's signals)

        ping.register()
