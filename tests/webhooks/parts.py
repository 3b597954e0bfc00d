"""Real parts for the webhook tests: an endpoint outside the playground (a plain HTTP server on
OUTSIDE_HOST that answers as a test scripts it). The sweeper's clock is the suite's one `celery_beat`.

Registered once as a plugin (tests/conftest.py), for the webhook tests, the rooms' and the browser's.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import OUTSIDE_HOST


class OutsideEndpoint:
    """A receiver outside the playground. `script` is a list of answers used in turn (the last one
    repeats): a status code, (status, headers, delay seconds), or a function of the request that
    returns one of those."""

    def __init__(self, host=OUTSIDE_HOST, port=0):
        self.requests, self.script, self.lock = [], [200], threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with outer.lock:
                    outer.requests.append(
                        {
                            "headers": dict(self.headers.items()),
                            "body": body,
                            "at": time.monotonic(),
                        }
                    )
                    answer = outer.script[min(len(outer.requests), len(outer.script)) - 1]
                answer = answer(outer.requests[-1]) if callable(answer) else answer
                status, headers, delay = answer if isinstance(answer, tuple) else (answer, {}, 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("content-type", "text/plain")
                    self.end_headers()
                    self.wfile.write(f"outside endpoint says {status}".encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def outside(server_env):
    """(server_env opens OUTSIDE_HOST to webhooks, here and in the workers.)"""
    endpoint = OutsideEndpoint()
    yield endpoint
    endpoint.close()
