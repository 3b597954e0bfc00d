"""The file drop's page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from patterns.site.styles import BY_KEY

from . import clock, csvcontract, listing, notes, scenarios, uploads

FOLDER_TITLES = [
    ("outbox", "Shop's outbox", "What Shop has sent (its own copy)."),
    ("inbox", "Accounting's inbox", "Deliveries and uploads wait here for the next pickup."),
    ("processed", "Processed", "Read by Accounting, each with its report."),
    ("rejected", "Rejected", "Refused as a whole: nothing imported."),
]


@require_GET
def page(request):
    context = {
        "style": BY_KEY["files"],
        "contract": csvcontract.describe(),
        "clock": clock.describe(clock.get()),
        "states": listing.STATES,
        "scenarios": scenarios.SCENARIOS,
        "row_cap": notes.ROW_CAP,
        "upload_max_mb": uploads.MAX_BYTES / (1024 * 1024),
        "folder_titles": FOLDER_TITLES,
    }
    return render(request, "files/page.html", context)
