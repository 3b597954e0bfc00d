"""The WebSocket Origin check: the page's origin must be the request's own (scheme, host, port)
under an allowed Host, or a trusted origin. Over a real daphne: tests/ledger/test_sockets.py."""

import pytest

from playground.origin import allowed


def scope(origin, host="127.0.0.1:8000", **extra):
    headers = [(b"host", host.encode())] + (
        [(b"origin", origin.encode())] if origin is not None else []
    )
    headers += [(name.encode(), value.encode()) for name, value in extra.items()]
    return {"type": "websocket", "headers": headers}


@pytest.mark.parametrize(
    "origin, host",
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://LOCALHOST:8000", "localhost:8000"),
        ("http://localhost", "localhost"),
        ("http://localhost:80", "localhost"),
        ("http://[::1]:8000", "[::1]:8000"),
    ],
)
def test_the_playgrounds_own_origin_is_allowed(origin, host):
    assert allowed(scope(origin, host))


@pytest.mark.parametrize(
    "origin, host",
    [
        ("http://127.0.0.1:8001", "127.0.0.1:8000"),  # another port
        ("https://127.0.0.1:8000", "127.0.0.1:8000"),  # another scheme
        ("http://localhost:8000", "127.0.0.1:8000"),  # another host
        ("http://evil.example:8000", "evil.example:8000"),  # DNS rebinding: a Host not allowed
        ("http://127.0.0.1:99999", "127.0.0.1:99999"),
        ("null", "127.0.0.1:8000"),
        ("", "127.0.0.1:8000"),
        (None, "127.0.0.1:8000"),
        ("ftp://127.0.0.1:8000", "127.0.0.1:8000"),
    ],
)
def test_any_other_origin_is_refused(origin, host):
    assert not allowed(scope(origin, host))


def test_behind_an_https_proxy_the_https_origin_is_the_own_one():
    assert allowed(scope("https://localhost", "localhost", **{"x-forwarded-proto": "https"}))
    assert not allowed(scope("http://localhost", "localhost", **{"x-forwarded-proto": "https"}))


def test_trusted_origins_are_allowed_with_their_port(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://class.example.org", "https://*.school.example"]
    assert allowed(scope("https://class.example.org", "127.0.0.1:8000"))
    assert allowed(scope("https://room1.school.example", "127.0.0.1:8000"))
    assert not allowed(scope("https://class.example.org:8443", "127.0.0.1:8000"))
    assert not allowed(scope("http://class.example.org", "127.0.0.1:8000"))
    assert not allowed(scope("https://evil.example.org", "127.0.0.1:8000"))
