"""Follow the instructor: the page the instructor opens, every student page of the room opens too.

The instructor's page tells the room where it is (POST /api/rooms/CODE/follow, on load); the room
keeps it (a student who joins late lands there) and announces it to the room's pages over their
feed socket (room.js navigates unless the student ticked "Stay here"). The path comes from a
browser and is sent to other people's browsers, so only a path on this site is accepted: anything
a browser could read as another host ("//evil", "/\\evil", "https://…", "javascript:…") is refused.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from patterns.ledger.errors import ApiError

MAX_PATH = 200
MAX_LABEL = 80


def same_site_path(path):
    """`path` if it is a path on this site, else ApiError 422."""
    if not isinstance(path, str) or not _on_this_site(path):
        raise ApiError(
            422,
            "bad_path",
            f"path: a page on this site, starting with one '/' (e.g. /webhooks/), at most "
            f"{MAX_PATH} characters, no scheme, host or backslash",
            "path",
        )
    return path


def _on_this_site(path):
    if not (0 < len(path) <= MAX_PATH) or not path.startswith("/") or path.startswith("//"):
        return False
    # Browsers read "\" as "/" and drop tabs and newlines: "/\evil.example" is another host.
    if "\\" in path or not path.isprintable() or " " in path:
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def clean_label(label, path):
    label = " ".join(str(label or "").split())
    if len(label) > MAX_LABEL:
        raise ApiError(422, "bad_label", f"label: at most {MAX_LABEL} characters", "label")
    return label or path


def with_room(path, code):
    """The path with `room=CODE` in its query (replacing any room it named)."""
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "room"]
    return urlunsplit(("", "", parts.path, urlencode([*query, ("room", code)]), parts.fragment))
