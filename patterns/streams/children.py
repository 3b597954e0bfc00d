"""Processes `manage.py playground` starts for this style: the ticker and match producer."""

from django.conf import settings


def children(python):
    return [("producer (streams: ticker and match)", [python, str(settings.BASE_DIR / "manage.py"), "streams_producer"])]
