from patterns.site import styles


class DatabaseConfig(styles.StyleConfig):
    name = "patterns.database"
    label = "database"
    verbose_name = "Direct database access"
    card = styles.Style(
        key="database",
        app="patterns.database",
        path="database",
        name="Direct database access",
        motto="Walk straight in.",
        sentence="One system reads another system's tables directly, skipping any agreed interface.",
        used_when="Rare and risky: quick reports and legacy integrations. Fast, but tightly coupled.",
        analogy="Like walking into someone's house instead of knocking on the door.",
    )
    contracts = "patterns.database.contracts.register"
    triggers = "patterns.database.triggers.register"
    api = {"database": "patterns.database.api.router"}
    urls = {"database/": "patterns.database.urls"}
    tour = "patterns.database.tour.TOUR"
    measurements = "patterns.database.predictions.PREDICTIONS"
    reset = "patterns.database.demo.reset"
    # Each GET here is a recorded exchange: firing one needs the right to fire in its world.
    firing_reads = (
        "/api/database/dashboard",
        "/api/database/exposure",
    )
    # One for the whole server, so one for every room: only the owner changes it.
    shared_controls = ("/api/database/schema",)
