"""Which URLs may receive webhooks, and which address to connect to.

The sender makes requests wherever an endpoint points, so a URL could aim it at machines inside a
private network or at services on this machine (server-side request forgery), or at the
playground's own API, where every delivery would fire a new event: a loop. So a URL is normalised
(one spelling per address, see urlparts), its host is looked up once, every address it has is
checked, and the request goes to the checked address (`Target.address`) — never to a second
lookup, which a hostile DNS server could answer differently (DNS rebinding).

On this machine (loopback) only Shop's receiver, on the playground's own port, may be reached.
"""

import socket
from dataclasses import dataclass

import httpx
from django.conf import settings

from . import addresses, shop, urlparts
from .urlparts import BadUrl, Parsed

__all__ = ["BadUrl", "Target", "check"]


@dataclass(frozen=True)
class Target:
    """A checked URL: where it points, and the one address the request may go to."""

    parsed: Parsed
    address: str

    @property
    def url(self):
        return self.parsed.url


def check(url):
    """The Target of a URL that may receive webhooks; BadUrl with a reason a learner can read if not."""
    parsed = urlparts.parse(url)
    ips = _resolve(parsed)
    for ip in ips:
        reason = addresses.refusal(ip)
        if reason and not (_loopback(ip) and _is_shops_receiver(parsed)):
            raise BadUrl(_explain(parsed, ip, reason))
    ipv4 = [ip for ip in ips if ip.version == 4]  # the playground listens on IPv4 loopback
    return Target(parsed, str((ipv4 or ips)[0]))


def _resolve(parsed):
    """Every address of the host, looked up once (an IP literal is its own answer)."""
    try:
        infos = socket.getaddrinfo(parsed.host, parsed.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise BadUrl(f"the host {parsed.host!r} cannot be found ({exc})") from None
    ips = []
    for info in infos:
        ip = urlparts.ip_or_none(info[4][0].split("%")[0])
        if ip is not None and ip not in ips:
            ips.append(ip)
    if not ips:
        raise BadUrl(f"the host {parsed.host!r} has no address")
    return ips


def _loopback(ip):
    return (addresses.carried_ipv4(ip) or ip).is_loopback


def own_port():
    base = httpx.URL(settings.PLAYGROUND_BASE_URL)
    return base.port or (443 if base.scheme == "https" else 80)


def _is_shops_receiver(parsed):
    # Compared exactly, after normalisation: /x/../api/, //api/, /%61pi/ and /API/ are not it.
    return parsed.port == own_port() and parsed.path == shop.RECEIVER_PATH


def _explain(parsed, ip, reason):
    carried = addresses.carried_ipv4(ip)
    named = f"{ip} (which reaches {carried})" if carried else str(ip)
    where = (
        f"{parsed.host} is {named}, {reason}" if parsed.host != str(ip) else f"{named} is {reason}"
    )
    if _loopback(ip):
        receiver = f"http://127.0.0.1:{own_port()}{shop.RECEIVER_PATH}"
        return (
            f"{where}: here only Shop's receiver ({receiver}) may receive webhooks; another address "
            "could make the playground call its own API in a loop, or reach other services on this "
            "machine (like its Redis)"
        )
    return (
        f"{where}: refused, so the playground cannot be used to reach machines inside a private "
        "network (an operator may open one with WEBHOOKS_ALLOWED_NETWORKS)"
    )
