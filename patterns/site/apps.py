from . import styles


class SiteConfig(styles.PlaygroundApp):
    name = "patterns.site"
    label = "site"
    verbose_name = "Site"
    api = {"": "patterns.site.api.router"}  # the ledger's log, health, the home page's ping
    urls = {"": "patterns.site.urls"}  # the home page, /health, the message log

    def ready(self):
        from . import bodies, ping

        ping.register()
        bodies.guard("/api/")  # every JSON body under /api/ comes in one way (bodies.py)
