from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "patterns.shop"
    label = "shop"
    verbose_name = "Shop"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_seed_after_migrate, sender=self)


def _seed_after_migrate(using, **kwargs):
    # A fresh Shop is never empty: the demo needs customers and orders from the first click.
    if using == "shop":
        from .seed import seed

        seed()
