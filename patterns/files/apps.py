from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "patterns.files"
    label = "files"
    verbose_name = "File drop"

    def ready(self):
        from . import contracts, fire

        contracts.register_all()
        fire.register_all()
