"""The comparison's lanes, one per style. A lane is added by registering it; a style without a
lane (or not built yet) is shown honestly as "not built yet"."""

from patterns.site.styles import STYLES

from .base import Lane, LaneResult  # noqa: F401

REGISTRY = {}


def register(lane):
    """Add a lane (an instance of a Lane subclass) under its style's key."""
    REGISTRY[lane.key] = lane
    return lane


def active():
    """The lanes that can run now: registered, and their style is installed."""
    return [REGISTRY[s.key] for s in STYLES if s.key in REGISTRY]


def board():
    """Every style in the usual order: (style, lane or None when it cannot run yet)."""
    return [(s, REGISTRY.get(s.key)) for s in STYLES]


from . import api, database, files, queue, streams, webhooks  # noqa: E402,F401  (each registers its lane)
