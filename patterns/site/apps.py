from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "patterns.site"
    label = "site"
    verbose_name = "Site"
