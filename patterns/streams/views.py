from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from patterns.site.styles import BY_KEY

from . import match
from .config import (
    BURST,
    DEFAULT_RATE,
    MAX_RATE,
    MIN_RATE,
    NICK_MAX,
    REFILL_PER_S,
    SYMBOLS,
    TEXT_MAX,
)


@require_GET
@ensure_csrf_cookie
def page(request):
    return render(
        request,
        "streams/page.html",
        {
            "style": BY_KEY["streams"],
            "symbols": list(SYMBOLS),
            "min_rate": MIN_RATE,
            "max_rate": MAX_RATE,
            "default_rate": DEFAULT_RATE,
            "nick_max": NICK_MAX,
            "text_max": TEXT_MAX,
            "burst": BURST,
            "refill": f"{REFILL_PER_S:g}",
            "match_minutes_per_second": match.MINUTES_PER_SECOND,
        },
    )
