from django.shortcuts import render
from django.views.decorators.http import require_GET

from patterns.site import storytime
from patterns.site.styles import BY_KEY

from . import broker
from .kinds import BACKOFF_STORY_SECONDS, KINDS, MAX_COUNT, MAX_RETRIES, backoff_seconds


@require_GET
def page(request):
    kinds = [
        {"kind": k, "duration": storytime.describe(k.story_seconds)}
        for k in KINDS.values()
        if k.key != "noop"
    ]
    ladder = [storytime.describe(BACKOFF_STORY_SECONDS * 2**n) for n in range(MAX_RETRIES)]
    return render(
        request,
        "queue/page.html",
        {
            "style": BY_KEY["queue"],
            "kinds": kinds,
            "broker": broker.describe(),
            "max_count": MAX_COUNT,
            "max_retries": MAX_RETRIES,
            "attempts": MAX_RETRIES + 1,
            "ladder": ladder,
            "first_backoff_s": backoff_seconds(1),
            "time_scale": storytime.scale(),
        },
    )
