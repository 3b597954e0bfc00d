"""The HTTP clients deliveries go out on, and the pinned request: to the checked address only.

A checked Target is sent to its IP address, with the name in the Host header and, over HTTPS, in
TLS (SNI, and the certificate is verified for the name): no second DNS lookup, so nobody can swap
the address between the check and the connection. Pooled connections are keyed by that address,
so one TLS name gets a pool of its own: a session verified for one name never carries another's.
"""

import os

import httpx

MAX_POOLS = 64
_pools = {"pid": None, "clients": {}}


def client(tls_name=""):
    """A pooled client per process (and per TLS name); never follows redirects and ignores proxy
    settings (deliveries go exactly where the endpoint says)."""
    if _pools["pid"] != os.getpid() or len(_pools["clients"]) >= MAX_POOLS:
        _pools.update(
            pid=os.getpid(), clients={}
        )  # a forked worker never shares its parent's sockets
    clients = _pools["clients"]
    if tls_name not in clients:
        clients[tls_name] = httpx.Client(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )
    return clients[tls_name]


def post(url, body, headers, timeout):
    """A plain POST, for addresses the playground configured itself (Shop's receiver)."""
    return client().post(url, content=body, headers=headers, timeout=timeout)


def post_pinned(target, body, headers, timeout):
    """POST to a checked Target, connecting to `target.address` and nowhere else."""
    parsed, address = target.parsed, target.address
    ip = f"[{address}]" if ":" in address else address
    tls = parsed.scheme == "https" and parsed.host != address
    return client(parsed.host if tls else "").post(
        f"{parsed.scheme}://{ip}:{parsed.port}{parsed.path}",
        content=body,
        timeout=timeout,
        headers={**headers, "host": parsed.netloc},
        extensions={"sni_hostname": parsed.host} if tls else None,
    )
