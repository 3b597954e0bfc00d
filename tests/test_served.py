"""Served beyond this machine, the playground runs with DEBUG off: an error shows a plain page (JSON
under /api/), never a traceback, and static files are still served — over a real daphne."""

import os
import stat

import httpx
import pytest

from playground.embedded_redis import free_port
from playground.management.commands.playground import Command
from playground.processes import stop
from playground.served import served_env
from tests.servers import start_daphne

# A ledger database that cannot be opened: every view that reads the ledger fails with a 500.
BROKEN_DATABASE = "sqlite:////nonexistent-playground-dir/ledger.sqlite3"
LEAKS = ("Traceback", "OperationalError", "DEBUG = True", "SECRET_KEY", "settings.py", 'File "')


@pytest.fixture
def no_debug_env(monkeypatch):
    for name in ("DEBUG", "SECRET_KEY", "PLAYGROUND_HTTPS"):
        monkeypatch.delenv(name, raising=False)


def test_served_beyond_loopback_the_children_run_without_debug(no_debug_env, settings):
    served, again = Command()._child_env("0.0.0.0", 8000), Command()._child_env("0.0.0.0", 8000)
    assert served["DEBUG"] == "false" and served["PLAYGROUND_HTTPS"] == "false"
    assert len(served["SECRET_KEY"]) > 40 and again["SECRET_KEY"] == served["SECRET_KEY"]
    assert stat.S_IMODE(os.stat(settings.DATA_DIR / "secret_key").st_mode) == 0o600
    for host in ("127.0.0.1", "localhost", "::1", "127.0.1.1"):
        assert "DEBUG" not in Command()._child_env(host, 8000)


def test_an_explicit_debug_setting_is_respected(monkeypatch):
    monkeypatch.setenv("DEBUG", "true")
    assert Command()._child_env("0.0.0.0", 8000)["DEBUG"] == "true"


@pytest.fixture(scope="module")
def served_without_debug(server_env, tmp_path_factory):
    env = {
        **server_env,
        **served_env({}, tmp_path_factory.mktemp("served")),
        "DATABASE_URL": BROKEN_DATABASE,
    }
    port = free_port()
    server = start_daphne(
        env, name="daphne-served", port=port, ready_path="/static/css/playground.css"
    )
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http
    stop([server.process])


def _no_leak(response):
    for leak in LEAKS:
        assert leak not in response.text, f"{response.request.url} shows {leak!r}"


def test_a_failing_page_shows_a_plain_500_page(served_without_debug):
    response = served_without_debug.get("/messages/")
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in response.text and 'lang="en"' in response.text
    _no_leak(response)


def test_a_failing_api_call_answers_json(served_without_debug):
    response = served_without_debug.get("/api/messages")
    assert response.status_code == 500 and response.headers["content-type"].startswith(
        "application/json"
    )
    assert response.json()["error"] == "internal_error"
    _no_leak(response)


def test_an_unknown_api_path_answers_json_and_an_unknown_page_a_plain_page(served_without_debug):
    api = served_without_debug.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json()["error"] == "not_found"
    page = served_without_debug.get("/no-such-page/")
    assert page.status_code == 404 and "Not found" in page.text
    _no_leak(page)


@pytest.mark.parametrize(
    "path, kind",
    [
        ("/static/css/playground.css", "text/css"),
        ("/static/js/feed.js", "javascript"),
        ("/static/ninja/swagger-ui-bundle.js", "javascript"),
    ],
)
def test_static_files_are_still_served(served_without_debug, path, kind):
    response = served_without_debug.get(path)
    assert response.status_code == 200 and kind in response.headers["content-type"]
    assert served_without_debug.get("/static/no-such-file.css").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_with_debug_on_too_the_api_never_answers_html(asgi_server):
    with httpx.Client(base_url=asgi_server.url, timeout=10) as http:
        unknown = http.get("/api/no-such-thing")
        foreign_host = http.get("/api/messages", headers={"Host": "evil.example"})
        page = http.get("/no-such-page/")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    assert foreign_host.status_code == 400 and foreign_host.json()["error"] == "bad_request"
    assert (
        page.status_code == 404 and "text/html" in page.headers["content-type"]
    )  # DEBUG's own page, on loopback
