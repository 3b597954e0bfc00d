"""The Django project: settings, URLs, the ASGI app, the Celery app and the `playground` command."""

# Our Celery app is the current one in every Django process, so `.delay()` anywhere uses its broker.
from .celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
