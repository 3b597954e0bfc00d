"""Which IP addresses a webhook may be sent to: global unicast only, judged with `ipaddress`.

An IPv6 address that carries an IPv4 address inside it (IPv4-mapped ::ffff:a.b.c.d, the old
IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) reaches that IPv4 machine, so it
is judged by the IPv4 address it carries: [::ffff:127.0.0.1] is loopback, [2002:a00:1::] is 10.0.0.1.
"""

import ipaddress

from django.conf import settings

NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # its IPv4 sits where the operator chose
COMPATIBLE = ipaddress.ip_network("::/96")


def carried_ipv4(ip):
    """The IPv4 address an IPv6 address stands for, or None."""
    if ip.version == 4:
        return None
    for carried in (ip.ipv4_mapped, ip.sixtofour):
        if carried is not None:
            return carried
    if (ip in NAT64 or ip in COMPATIBLE) and int(ip) > 1:  # (not :: or ::1)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def allowed_networks():
    """WEBHOOKS_ALLOWED_NETWORKS: networks an operator opened on purpose (a classroom LAN)."""
    return [
        ipaddress.ip_network(net, strict=False)
        for net in getattr(settings, "WEBHOOKS_ALLOWED_NETWORKS", ())
    ]


def refusal(ip):
    """Why `ip` may not receive webhooks (words a learner can read), or None if it may."""
    ip = carried_ipv4(ip) or ip
    if any(ip.version == net.version and ip in net for net in allowed_networks()):
        return None
    if ip in NAT64_LOCAL:
        return "a NAT64 address of a local network"
    if ip.is_loopback:
        return "this machine (loopback)"
    if ip.is_unspecified:
        return "the unspecified address (it means “any interface”, not a machine)"
    if ip.is_multicast:
        return "a multicast address (a group of machines, not one receiver)"
    if ip.is_link_local:
        return "a link-local address (like the cloud metadata service at 169.254.169.254)"
    if ip.is_private:
        return "a private-network address"
    if ip.is_reserved or not ip.is_global:
        return "an address that is not on the public internet"
    return None
