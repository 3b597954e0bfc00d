"""Room pages: open a room (instructor), join one (student), and the room's QR code."""

import functools
import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import resolve
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from patterns.site.styles import STYLES

from . import follow, guesses
from .models import normalise


def _room_or_404(request, code):
    room = guesses.find(code, guesses.client_of(request))
    if room is None:
        raise Http404(f"There is no room {normalise(code)!r}.")
    return room


def _looked_up(view):
    """A page that looks a code up answers a client that guessed too often with a plain 429."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except guesses.TooManyGuesses as refused:
            return refused.page()

    return wrapper


def _pages(code):
    pages = [{"name": "Home (ping)", "url": f"/?room={code}"}]
    pages += [{"name": s.name, "url": f"{s.url}?room={code}"} for s in STYLES]
    return pages + [{"name": "Message log", "url": f"/messages/?room={code}"}]


@require_GET
def instructor(request):
    """Open a room, or take an open one (the key lives in this browser's storage)."""
    return render(request, "rooms/instructor.html", {"styles": STYLES})


@require_GET
def owner_page(request):
    """Where the owner link lands: the key (in the URL's fragment, never sent here) is kept in this
    browser by static/js/pages/owner.js."""
    return render(request, "rooms/owner.html")


@require_GET
@_looked_up
def join(request, code):
    room = _room_or_404(request, code)
    return render(
        request,
        "rooms/join.html",
        {
            "room": room,
            "pages": _pages(room.code),
            "join_url": request.build_absolute_uri(f"/r/{room.code}"),
            "now_on": follow.with_room(room.page_path, room.code) if room.page_path else "",
        },
    )


@require_GET
@_looked_up
def qr(request, code):
    """The join link as a QR code (SVG, drawn on the server, large enough for a projector)."""
    room = _room_or_404(request, code)
    buffer = io.BytesIO()
    segno.make(request.build_absolute_uri(f"/r/{room.code}"), error="m").save(
        buffer,
        kind="svg",
        scale=10,
        border=2,
        dark="#000",
        light="#fff",
        title=f"Join room {room.code}",
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def api_without_slash(request, *args, **kwargs):
    """`POST /api/rooms` without the slash, as people type it (ninja's route is /api/rooms/)."""
    match = resolve("/api/rooms/")
    return match.func(request, *match.args, **match.kwargs)
