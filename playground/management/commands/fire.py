"""`python manage.py fire <style> <kind> [--count N] [--data JSON] [--room CODE]`: the buttons, from a terminal.

`--room` fires inside a room (whoever runs manage.py on the server needs no control key)."""

import json

import pydantic
from django.core.management.base import BaseCommand, CommandError

from patterns.ledger.roomctx import in_room
from patterns.site import triggers

MAX_COUNT = 10_000


class Command(BaseCommand):
    help = "Fire an event of a style, as its button does. `fire --list` shows what can be fired."

    def add_arguments(self, parser):
        parser.add_argument("style", nargs="?")
        parser.add_argument("kind", nargs="?")
        parser.add_argument(
            "--count", type=int, default=1, help=f"how many to fire (1–{MAX_COUNT})"
        )
        parser.add_argument("--data", default="{}", help="the event's data as a JSON object")
        parser.add_argument("--room", default="", help="fire inside this room (its code)")
        parser.add_argument(
            "--list", action="store_true", dest="show_list", help="list what can be fired"
        )

    def handle(self, *args, style, kind, count, data, show_list, room="", **options):
        room = room.strip().upper()
        if room and not _room_exists(room):
            raise CommandError(f"there is no room {room!r}")
        with in_room(room or None):
            self.fire(style, kind, count, data, show_list)

    def fire(self, style, kind, count, data, show_list):
        if show_list or not style:
            for trigger in triggers.all_triggers():
                self.stdout.write(f"{trigger.style} {trigger.kind:<24} {trigger.help}")
            return
        trigger = triggers.get(style, kind)
        if trigger is None:
            known = ", ".join(f"{t.style} {t.kind}" for t in triggers.all_triggers())
            raise CommandError(f"nothing to fire as {style!r} {kind!r}; known: {known}")
        if not 1 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be between 1 and {MAX_COUNT}")
        try:
            payload = json.loads(data)
        except json.JSONDecodeError as exc:
            raise CommandError(f"--data is not JSON: {exc}") from None
        if not isinstance(payload, dict):
            raise CommandError('--data must be a JSON object, like \'{"note": "hi"}\'')
        for n in range(count):
            try:
                result = trigger.fire(payload)
            except pydantic.ValidationError as exc:
                raise CommandError(
                    f"--data does not meet the contract: {exc.errors()[0]['msg']} "
                    f"({'.'.join(map(str, exc.errors()[0]['loc']))})"
                ) from None
            except Exception as exc:
                raise CommandError(f"could not fire: {exc}") from None
            if count <= 10 or n == count - 1:
                self.stdout.write(
                    f"fired {style} {kind} #{n + 1}: {json.dumps(result, default=str)[:200]}"
                )
        self.stdout.write(self.style.SUCCESS(f"{count} × {style} {kind} fired"))


def _room_exists(code):
    from django.apps import apps

    if not apps.is_installed("patterns.rooms"):
        return False
    return apps.get_model("rooms", "Room").objects.filter(code=code).exists()
