"""URLs: every app's pages as it declares them (playground/plugins.py), the API and the admin."""

from django.contrib import admin
from django.urls import path

from .api import api
from .plugins import url_patterns

urlpatterns = [
    *url_patterns(),  # first: the rooms app answers /api/rooms without its slash
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# With DEBUG off: JSON under /api/, plain pages elsewhere, never a traceback (patterns/site/errorpages.py).
handler400 = "patterns.site.errorpages.bad_request"
handler403 = "patterns.site.errorpages.permission_denied"
handler404 = "patterns.site.errorpages.page_not_found"
handler500 = "patterns.site.errorpages.server_error"
