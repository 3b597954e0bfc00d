from patterns.site import styles


class ContractsConfig(styles.PlaygroundApp):
    name = "patterns.contracts"
    label = "contracts"
    verbose_name = "Contracts"
    api = {"": "patterns.contracts.api.router"}
    openapi = "patterns.contracts.documents.extend_openapi"
    urls = {"contracts/": "patterns.contracts.urls"}

    def ready(self):
        from . import feed, versioning

        feed.register()
        versioning.register()
