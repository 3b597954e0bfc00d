"""One spelling per URL: parsed by httpx (the parser that sends it), then normalised.

Normal forms (RFC 3986, 6.2.2): lower-case scheme and host, the host in ASCII (IDNA), no default
port, no fragment, percent-escapes of unreserved characters decoded ("/%61pi" is "/api") and the
others in upper case, dot segments removed ("/x/../api" is "/api"). Refused rather than guessed:
a user name or password (user:pass@), a zone in the host, and the odd spellings of an IPv4 address
that resolvers accept (0x7f000001, 2130706433, 127.1, 017700000001 are all 127.0.0.1).
"""

import ipaddress
import re
from dataclasses import dataclass

import httpx

MAX_LENGTH = 500
UNRESERVED = re.compile(r"%(2[DdEe]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])")
ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadUrl(ValueError):
    pass


@dataclass(frozen=True)
class Parsed:
    scheme: str
    host: str  # ASCII name or IP address, without brackets
    port: int
    path: str  # path and query, as sent

    @property
    def netloc(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def url(self):
        return f"{self.scheme}://{self.netloc}{self.path}"


def parse(url):
    if not isinstance(url, str) or len(url.strip()) > MAX_LENGTH:
        raise BadUrl(f"the URL must be text of at most {MAX_LENGTH} characters")
    url = url.strip()
    if any(c.isspace() or ord(c) < 32 or c == "\\" for c in url):
        raise BadUrl("the URL must not contain spaces, control characters or backslashes")
    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise BadUrl(f"this is not a URL that can be sent to ({exc})") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise BadUrl("only http:// and https:// URLs can receive webhooks")
    if not parts.raw_host:
        raise BadUrl("the URL needs a host, like https://example.com/webhooks")
    if parts.userinfo:
        raise BadUrl(
            "a user name or password in the URL (user:pass@host) is refused: the signature "
            "already proves who sent the webhook"
        )
    port = DEFAULT_PORTS[parts.scheme] if parts.port is None else parts.port
    if not 0 < port < 65536:
        raise BadUrl(f"the port {port} does not exist (ports are 1–65535)")
    parsed = Parsed(
        parts.scheme,
        host(parts.raw_host.decode("ascii")),
        port,
        path(parts.raw_path.decode("ascii")),
    )
    if len(parsed.url) > MAX_LENGTH:
        raise BadUrl(f"the URL must be text of at most {MAX_LENGTH} characters")
    return parsed


def host(raw):
    raw = raw.lower()
    if "%" in raw:
        raise BadUrl(
            "the host must not contain % (an escape, or an interface zone like fe80::1%eth0)"
        )
    ip = ip_or_none(raw)
    if ip is not None:
        return str(ip)
    name = raw.removesuffix(".")
    if NUMERIC_LABEL.match(name.rsplit(".", 1)[-1]):
        raise BadUrl(
            f"{raw!r} is an odd way to write an IPv4 address; write it as four decimal numbers "
            "without leading zeros, like 93.184.215.14"
        )
    if not NAME.match(name):
        raise BadUrl(f"the host {raw!r} is not a valid name")
    return name


def ip_or_none(text):
    try:
        return ipaddress.ip_address(text)  # strict: no leading zeros, no short or hex forms
    except ValueError:
        return None


def path(raw):
    path, query = raw.split("?", 1) if "?" in raw else (raw, None)
    path = UNRESERVED.sub(lambda m: chr(int(m.group(1), 16)), path)
    path = ESCAPE.sub(lambda m: m.group(0).upper(), path)
    path = remove_dot_segments(path or "/")
    return path if query is None else f"{path}?{query}"


def remove_dot_segments(path):
    """RFC 3986, 5.2.4 (again: decoding %2E may have made new ones)."""
    kept = []
    segments = path.split("/")[1:]
    for segment in segments:
        if segment == "..":
            kept = kept[:-1]
        elif segment != ".":
            kept.append(segment)
    if segments and segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)
