"""Which URLs may receive webhooks. The sender makes requests wherever an endpoint points, so a
URL could aim it at machines inside a private network (server-side request forgery). Allowed:
http(s) to public addresses, and loopback for local demos."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class BadUrl(ValueError):
    pass


def _allowed(ip):
    extra = getattr(settings, "WEBHOOKS_ALLOWED_NETWORKS", ())  # e.g. a classroom LAN, by choice
    if any(ip in ipaddress.ip_network(net) for net in extra):
        return True
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_global


def _kind(ip):
    if ip.is_unspecified:
        return "the unspecified address (it means “any interface”, not a machine)"
    if ip.is_link_local:
        return "a link-local address (like the cloud metadata service at 169.254.169.254)"
    if ip.is_private:
        return "a private-network address"
    return "an address that is not on the public internet"


def check(url):
    """Return the URL if it may receive webhooks; raise BadUrl with a reason a learner can read."""
    if not isinstance(url, str) or len(url) > 500:
        raise BadUrl("the URL must be text of at most 500 characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise BadUrl("only http:// and https:// URLs can receive webhooks")
    if not parts.hostname:
        raise BadUrl("the URL needs a host, like https://example.com/webhooks")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise BadUrl(f"the host {parts.hostname!r} cannot be found ({exc})") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _allowed(ip):
            raise BadUrl(f"{parts.hostname} is {ip}, {_kind(ip)}: refused, so the playground cannot "
                         "be used to reach machines inside a private network (loopback is allowed)")
        if ip.is_loopback and parts.path.startswith("/api/"):
            # Its own API would turn every delivery into a new event: a loop that never ends.
            raise BadUrl("a loopback /api/ address could make the playground call its own API in a loop; "
                         "point it at a webhook receiver instead")
    return url.strip()
