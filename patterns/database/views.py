"""The database style's page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from patterns.site.styles import BY_KEY

from . import changes, reader, reporting


@require_GET
def page(request):
    context = {
        "style": BY_KEY["database"],
        "schema": changes.describe(),
        "panels": reporting.PANELS,
        "vendor": reader.vendor(),
        "time_limit_s": reader.TIME_LIMIT_MS / 1000,
        "row_cap": reader.ROW_CAP,
    }
    return render(request, "database/page.html", context)
