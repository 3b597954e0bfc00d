"""The file-drop page's demo state and its Reset: no night is set to run late, and the story clock
runs (the 00:00 export and the 08:00 pickup happen by themselves again).

The other demos (a writer that dies half-way, a renamed column, a bad row) each write their file
once and switch nothing on; every file written stays where it is, with its report: a drop folder's
files are its history. The clock keeps its story time: days already exported are not exported again.
"""

from patterns.site import resets

from . import clock
from .models import Clock


def _late():
    return clock.get().late_day


def _clock():
    state = clock.get()
    return "running" if state.running else f"paused at {clock.label(clock.story_now(state))}"


PIECES = (
    resets.Piece(
        "late_night",
        _late,
        0,
        lambda: Clock.objects.filter(pk=clock.get().pk).update(late_day=0),
        shared=True,
    ),
    resets.Piece("story_clock", _clock, "running", lambda: clock.set_running(True), shared=True),
)


def reset(room=None):
    """Put the file-drop demo back to its defaults and record it (see patterns.site.resets)."""
    return resets.reset(
        "files",
        room,
        PIECES,
        target="clock",
        note="The story clock and the drop folders are shared by every room on this server: "
        "only the owner's Reset puts them back.",
    )
