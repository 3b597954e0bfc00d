"""The owner: whoever started the server owns the shared demo and what every room shares.

On a laptop used alone (the default, loopback only) there is no owner key and nobody needs one.
Served to others (`playground --host` beyond loopback, or `--behind-proxy` behind nginx), the
command makes a key, prints an owner link, and from then on only a request carrying the key in
`X-Owner-Key` changes the shared demo (no room) or a shared control (the worker pool, Shop's
schema, the file drop's clock). The owner link opens /owner/#key=…: the key is kept in a URL
fragment, so it never reaches a server log or a Referer header.
"""

import functools
import hmac

from django.apps import apps
from django.conf import settings

HEADER = "X-Owner-Key"


def served():
    """Is the playground served to others (so the shared demo needs the owner's key)?"""
    return bool(settings.PLAYGROUND_OWNER_KEY)


def is_owner(request):
    """Does this request carry the owner's key (or is there nobody to keep out)?"""
    return holds_owner_key(request.headers.get(HEADER, ""))


def holds_owner_key(given):
    """Is `given` the owner's key (or is there nobody to keep out)? For a request's header, or a
    key a WebSocket frame carries (a browser cannot add headers to a socket)."""
    if not served():
        return True
    return bool(given) and hmac.compare_digest(
        given.encode(), settings.PLAYGROUND_OWNER_KEY.encode()
    )


@functools.cache
def shared_controls():
    """Every app's declared shared controls: API paths that change what every room shares."""
    return tuple(
        path for config in apps.get_app_configs() for path in getattr(config, "shared_controls", ())
    )


def is_shared_control(path):
    return _under(path, shared_controls())


@functools.cache
def firing_reads():
    """Every app's declared firing reads: API paths whose GETs fire a recorded exchange."""
    return tuple(
        path for config in apps.get_app_configs() for path in getattr(config, "firing_reads", ())
    )


def is_firing_read(path):
    return _under(path, firing_reads())


def _under(path, prefixes):
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


def link(base_url):
    """The owner link `playground` prints (open it in the owner's browser)."""
    return f"{base_url.rstrip('/')}/owner/#key={settings.PLAYGROUND_OWNER_KEY}"
