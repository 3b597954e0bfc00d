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
