"""The webhooks page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from patterns.site import storytime
from patterns.site.styles import BY_KEY

from . import catalog, endpoints, ladder, poller, shop


def _page_config():
    """What the page's script needs to start: types with samples and contracts, modes, clocks."""
    return {
        "types": [
            {
                "name": t.name,
                "source": t.source,
                "sender": catalog.SOURCES[t.source],
                "summary": t.summary,
                "sample": t.sample,
                "contract": t.contract,
                "schema": catalog.data_schema(t)["properties"]["data"],
            }
            for t in catalog.TYPES.values()
        ],
        "modes": shop.MODES,
        "mode": context_mode(),
        "scale": storytime.scale(),
        "ladder": ladder.describe_ladder(),
        "timeout": ladder.timeout(),
        "intervals": [{"seconds": s, "text": storytime.describe(s)} for s in poller.INTERVALS],
    }


def context_mode():
    return shop.state().mode


@require_GET
def page(request):
    endpoints.builtin()
    context = {
        "style": BY_KEY["webhooks"],
        "config": _page_config(),
        "ladder": list(zip(ladder.LADDER, ladder.describe_ladder())),
        "timeout_text": storytime.describe(ladder.TIMEOUT_STORY),
        "timeout_real": ladder.timeout(),
        "window": endpoints.window_description(),
        "types": catalog.TYPES.values(),
        "modes": shop.MODES,
        "mode": context_mode(),
        "senders": list(catalog.SOURCES.items()),
        "intervals": [(s, storytime.describe(s)) for s in poller.INTERVALS],
    }
    return render(request, "webhooks/page.html", context)
