"""The Celery app. Started as `celery -A playground.celery worker` (the `playground` command does it).

Django code gets the app by importing this module (the ledger app does so when ready), so
`.delay()` anywhere sends through the configured broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")

app = Celery("playground")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Workers and beat announce themselves for the health page (signals connect on import).
app.conf.imports = [*app.conf.imports, "patterns.ledger.heartbeat"]
