"""Every WebSocket (the feed and the streams) over a real daphne: hostile frames get an error
frame and the connection lives on; presence is given back; only the playground's own origin
(scheme, host and port) may connect."""

import json

import pytest
import redis
from django.conf import settings
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from patterns.streams.config import KEY_VIEWERS
from tests.helpers import FeedClient, eventually, record_pings
from tests.streams.client import Viewer

pytestmark = pytest.mark.django_db(transaction=True)
ROUTES = ["/ws/feed/", "/ws/streams/"]
DEEP = "[" * 1000 + "]" * 1000  # 2 KB: under every size limit
HOSTILE = [
    (DEEP, "frame_too_deep"),
    ('{"type": "sync", "x": ' + "[" * 1000 + "]" * 1000 + "}", "frame_too_deep"),
    ('{"type": "ack", "cursor": NaN, "stream": "chat", "seq": NaN}', "bad_frame"),
    ('{"type": "ack", "cursor": Infinity, "stream": "chat", "seq": -Infinity}', "bad_frame"),
    ('{"type": "ack", "cursor": 1e999, "stream": "chat", "seq": 1e999}', "bad_frame"),
    ("x" * 5000, "frame_too_large"),
]


def _viewers():
    return redis.Redis.from_url(settings.REDIS_URLS["state"]).zcard(KEY_VIEWERS)


@pytest.mark.parametrize("frame, error", HOSTILE)
def test_a_hostile_frame_to_the_feed_gets_an_error_frame_and_the_feed_goes_on(
    asgi_server, frame, error
):
    with FeedClient(asgi_server) as feed:
        feed.wait_ready()
        feed.ws.send(frame)
        answer = feed.receive(5)
        assert answer["type"] == "error" and answer["error"] == error, answer
        ids = record_pings(1)
        assert [m["id"] for m in feed.collect(1)] == ids


@pytest.mark.parametrize("frame, error", HOSTILE)
def test_a_hostile_frame_to_the_streams_gets_an_error_frame_and_presence_is_given_back(
    asgi_server, frame, error
):
    with Viewer(asgi_server, {"chat": {"after": 0}}) as calm:
        counted = _viewers()  # calm is counted before its welcome
        with Viewer(asgi_server, {"chat": {"after": 0}}) as viewer:
            viewer.send(frame)
            assert viewer.next_of("error")["error"] == error
            viewer.send({"type": "chat", "nick": "ada", "text": "still here"})
            assert viewer.next_of("sent")
            assert _viewers() == counted + 1
        eventually(lambda: _viewers() == counted, message="the second viewer to be let go")
        calm.send({"type": "sync"})
        assert calm.next_of("pong")["viewers"] == counted


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:{other}",  # another port of the same machine
        "https://127.0.0.1:{port}",  # another scheme
        "http://localhost:{port}",  # another host, though an allowed one
        "http://127.0.0.1",  # the default port
        "null",
        "http://evil.example:{port}",
    ],
)
def test_a_socket_from_another_origin_is_refused(asgi_server, route, origin):
    origin = origin.format(port=asgi_server.port, other=asgi_server.port + 1)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{asgi_server.ws_url}{route}", origin=origin, open_timeout=10)
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("route", ROUTES)
def test_a_socket_without_an_origin_is_refused(asgi_server, route):
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{asgi_server.ws_url}{route}", open_timeout=10)
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("route, first", [("/ws/feed/", None), ("/ws/streams/", "welcome")])
def test_a_socket_from_the_playgrounds_own_origin_is_accepted(asgi_server, route, first):
    with connect(f"{asgi_server.ws_url}{route}", origin=asgi_server.origin, open_timeout=10) as ws:
        if first:
            assert json.loads(ws.recv(timeout=10))["type"] == first
        ws.send(json.dumps({"type": "sync"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "pong"


def test_a_socket_behind_an_https_proxy_is_accepted_from_the_https_origin(asgi_server):
    url = f"{asgi_server.ws_url}/ws/feed/"
    headers = {"X-Forwarded-Proto": "https"}
    with connect(
        url,
        origin=f"https://127.0.0.1:{asgi_server.port}",
        additional_headers=headers,
        open_timeout=10,
    ) as ws:
        ws.send(json.dumps({"type": "sync"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "pong"
    with pytest.raises(InvalidStatus):
        connect(url, origin=asgi_server.origin, additional_headers=headers, open_timeout=10)
