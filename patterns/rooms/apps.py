from patterns.site import styles


class RoomsConfig(styles.PlaygroundApp):
    name = "patterns.rooms"
    label = "rooms"
    verbose_name = "Rooms"
    api = {"rooms": "patterns.rooms.api.router", "": "patterns.rooms.api.owner_router"}
    openapi = "patterns.rooms.api.extend_openapi"
    urls = {"": "patterns.rooms.urls"}  # /rooms/, /r/CODE

    def ready(self):
        from patterns.ledger import query

        from .models import floor_of

        query.set_room_floor(floor_of)
