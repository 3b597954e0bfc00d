from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "patterns.files"
    label = "files"
    verbose_name = "File drop"

    def ready(self):
        from patterns.ledger import bodies

        from . import contracts, fire, uploads

        contracts.register_all()
        fire.register_all()
        bodies.guard("/api/files/upload", max_bytes=uploads.MAX_BYTES + uploads.MULTIPART_OVERHEAD)
