from patterns.site import styles


class FeedConfig(styles.PlaygroundApp):
    name = "patterns.feed"
    label = "feed"
    verbose_name = "Live feed"
    websocket_routes = "patterns.feed.routing.websocket_urlpatterns"

    def ready(self):
        from patterns.ledger import recorder

        from . import doorbell

        recorder.listeners.append(doorbell.ring)
