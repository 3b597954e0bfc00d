"""What `manage.py fire <style> <kind>` can fire. Styles register their kinds when their app loads."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    style: str
    kind: str
    fire: Callable  # fire(data: dict) -> dict, a summary of what was sent
    help: str = ""


_triggers: dict[tuple[str, str], Trigger] = {}


def register(style, kind, fire, help=""):
    _triggers[(style, kind)] = Trigger(style, kind, fire, help)


def get(style, kind):
    return _triggers.get((style, kind))


def all_triggers():
    return sorted(_triggers.values(), key=lambda t: (t.style, t.kind))
