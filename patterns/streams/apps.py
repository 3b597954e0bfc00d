from patterns.site import styles


class StreamsConfig(styles.StyleConfig):
    name = "patterns.streams"
    label = "streams"
    verbose_name = "Streaming"
    card = styles.Style(
        key="streams",
        app="patterns.streams",
        path="streaming",
        name="Streaming",
        motto="Stay connected; it comes as it happens.",
        sentence="Systems keep a connection open and data flows the moment it exists.",
        used_when="Used for live things: chat, live comments, prices, dashboards.",
        analogy="Like a phone call that stays open instead of sending letters.",
    )
    contracts = "patterns.streams.contracts.register"
    triggers = "patterns.streams.triggers.register"
    api = {"streams": "patterns.streams.api.router"}
    urls = {"streaming/": "patterns.streams.urls"}
    tour = "patterns.streams.tour.TOUR"
    measurements = "patterns.streams.predictions.PREDICTIONS"
    reset = "patterns.streams.demo.reset"
    websocket_routes = "patterns.streams.routing.websocket_urlpatterns"
    children = (("producer (streams: ticker and match)", ("streams_producer",)),)
