"""The Django project: settings, URLs, the ASGI app, the Celery app and the `playground` command."""
