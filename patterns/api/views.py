"""The request/response page, and the bare baseline view the benchmark compares Shop's API with."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from patterns.shop import store
from patterns.site import storytime
from patterns.site.styles import BY_KEY

from . import examples, poller, ratelimit, switches


def _intervals():
    """The poller's interval choices: real seconds the class can watch, said in story time too."""
    return [
        {"every": storytime.to_story(real), "text": storytime.describe(storytime.to_story(real))}
        for real in (1, 2, 5, 10)
    ]


@require_GET
def page(request):
    limit = ratelimit.current()
    context = {
        "style": BY_KEY["api"],
        "examples": examples.console_examples(),
        "limit": limit,
        "modes": {name: switches.describe(name) for name in switches.MODES},
        "client_timeout": switches.CLIENT_TIMEOUT,
        "slow_seconds": switches.SLOW_SECONDS,
        "mode_minutes": switches.MODE_MINUTES,
        "intervals": _intervals(),
        "scale": settings.PLAYGROUND_TIME_SCALE,
        "poller_bounds": poller.bounds(),
    }
    return render(request, "api/page.html", context)


@require_GET
def baseline_order(request, order_id):
    """The benchmark's baseline: the same JSON as GET /api/shop/orders/{id}, from a bare Django
    view — no ninja, no gate, no ledger. Shop's public data only, so it is harmless to serve."""
    try:
        return JsonResponse(store.get_order(order_id))
    except store.NotFound as exc:
        return JsonResponse(
            {"error": "not_found", "detail": str(exc), "field": "order_id"}, status=404
        )
