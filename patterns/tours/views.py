from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from patterns.site import storytime
from patterns.site.styles import STYLES

from . import lanes, runs, scripts


@require_GET
def index(request):
    tours = {t["style"]: t for t in scripts.available()}
    rows = [{"style": s, "tour": tours.get(s.key)} for s in STYLES]
    return render(request, "tours/index.html", {"rows": rows})


@require_GET
def tour(request, style):
    """A tour runs over its style's own page, so the stage shows the real traffic."""
    found = scripts.tour_for(style)
    if found is None:
        raise Http404(f"no tour for {style}")
    room = request.GET.get("room", "")  # a tour started in a room runs in it
    return redirect(
        f"{found['page']}?{urlencode({'tour': style, **({'room': room} if room else {})})}"
    )


@require_GET
def compare(request):
    board = [{"style": s, "lane": lane} for s, lane in lanes.board()]
    return render(
        request,
        "tours/compare.html",
        {
            "board": board,
            "fault_seconds": runs.FAULT_SECONDS,
            "max_seconds": runs.MAX_SECONDS,
            "poll_story": storytime.describe(lanes.base.POLL_STORY_SECONDS),
        },
    )
