"""URLs: the ledger's pages, each built style's page at its path, the API and the admin."""

import importlib.util

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from patterns.ledger.styles import STYLES

from .api import api

urlpatterns = [
    path("", include("patterns.rooms.urls")),  # /rooms/, /r/CODE, /api/rooms (before the API)
    path("", include("patterns.ledger.urls")),
    path("api/", api.urls),
    path("contracts/", include("patterns.contracts.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += [
    path(f"{style.path}/", include(f"{style.app}.urls"))
    for style in STYLES
    if style.built and importlib.util.find_spec(f"{style.app}.urls")
]
if "patterns.tours" in settings.INSTALLED_APPS:  # guided tours and the comparison: /tours/, /compare/
    urlpatterns.append(path("", include("patterns.tours.urls")))

# With DEBUG off: JSON under /api/, plain pages elsewhere, never a traceback (patterns/ledger/errorpages.py).
handler400 = "patterns.ledger.errorpages.bad_request"
handler403 = "patterns.ledger.errorpages.permission_denied"
handler404 = "patterns.ledger.errorpages.page_not_found"
handler500 = "patterns.ledger.errorpages.server_error"
