"""The database page's demo state and its Reset: Shop's original schema back (every change Shop
shipped undone, its data kept).

Shop's schema is one for the whole server (every room reads the same tables), so a room's Reset
restores it for everyone; the page says so beside the changes. Restoring goes through the page's
own Restore, so the ledger shows the schema change as it shows every other. The console and the
dashboard keep no state of their own.
"""

from patterns.shop import schema
from patterns.site import resets

from . import changes


def _schema():
    applied = sorted(schema.applied(), key=list(schema.CHANGES).index)
    return f"changed: {', '.join(applied)}" if applied else "original"


PIECES = (
    resets.Piece(
        "shop_schema", _schema, "original", lambda: changes.ship(changes.RESTORE), shared=True
    ),
)


def reset(room=None):
    """Put the database demo back to its defaults and record it (see patterns.site.resets)."""
    return resets.reset(
        "database",
        room,
        PIECES,
        target="shop-db",
        note="Shop's schema is shared by every room on this server: "
        "only the owner's Reset puts it back.",
    )
