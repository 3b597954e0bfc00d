from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "patterns.rooms"
    label = "rooms"
    verbose_name = "Rooms"

    def ready(self):
        from patterns.ledger import query

        from .models import floor_of

        query.set_room_floor(floor_of)
