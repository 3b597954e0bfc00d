"""The webhooks page's demo state and its Reset: Shop's receiver healthy, Shop's built-in endpoint
as it was built (enabled, every event, its rotation window closed), the endpoints people added
removed, and the push-vs-poll poller off with its counters cleared.

Every piece is the world's at hand (resets.reset runs them inside the world): another room's
receiver, endpoints and poller are left alone.

Added endpoints are removed, not disabled: disabled ones would still be listed, still count
towards the limit of endpoints, and keep a student's URL between lessons. Removing one cancels
its pending deliveries with it, as the page's Delete does (an attempt already on its way finds
its delivery gone and is not retried). Events, deliveries to Shop and the ledger stay: history.
"""

from django.db import transaction

from patterns.site import resets, storytime

from . import endpoints, poller, shop
from .models import Poller

# Shop's endpoint as endpoints.builtin() makes it (its secret stays: Shop knows it already).
BUILTIN = {
    "description": "Shop's webhook endpoint (built in, served by the playground)",
    "event_types": [],
    "disabled": False,
    "disabled_reason": "",
    "failure_run": 0,
    "disable_after": 3,
    "previous_secret": "",
    "previous_secret_until": None,
}
POLLER = {
    f.name: f.get_default()
    for f in Poller._meta.concrete_fields
    if not f.primary_key and f.name != "world"
}


def _builtin():
    endpoint = endpoints.builtin()
    if endpoint.disabled:
        return f"disabled: {endpoint.disabled_reason}"
    changed = [name for name, value in BUILTIN.items() if getattr(endpoint, name) != value]
    return f"enabled, changed: {', '.join(changed)}" if changed else "enabled"


def _restore_builtin():
    from .sweeper import sweep

    endpoints.of_world().filter(key="shop").update(**BUILTIN)
    transaction.on_commit(
        sweep
    )  # its paused deliveries go out now, as when it is re-enabled by hand


def _added():
    return endpoints.of_world().exclude(key="shop").count()


def _remove_added():
    for endpoint in endpoints.of_world().exclude(
        key="shop"
    ):  # deleted as the page's Delete does: rows
        endpoints.delete(endpoint)  # kept, what waited cancelled, no race with events firing now


def _poller():
    row = poller.mine().first()
    if row is None or row.started_at is None and not row.running:
        return "off"
    return (
        f"running every {storytime.human(row.interval)} (story)"
        if row.running
        else f"stopped after {row.requests} polls"
    )


# Shop's endpoint before the receiver: a receiver made healthy re-enables the endpoint its
# failures disabled, and the Reset's message should still say how the endpoint was.
PIECES = (
    resets.Piece("shop_endpoint", _builtin, "enabled", _restore_builtin),
    resets.Piece(
        "receiver", lambda: shop.state().mode, "healthy", lambda: shop.set_mode("healthy")
    ),
    resets.Piece("added_endpoints", _added, 0, _remove_added),
    resets.Piece("poller", _poller, "off", lambda: poller.mine().update(**POLLER)),
)


def reset(room=None):
    """Put the webhooks demo back to its defaults and record it (see patterns.site.resets)."""
    return resets.reset("webhooks", room, PIECES, target="payments")
