"""Adding a style is one folder and one line: the carrier pigeon (tests/pigeon), installed with
PLAYGROUND_EXTRA_APPS alone, gets its page, its API, `manage.py fire` and the live feed."""

import json
import subprocess
import sys
import urllib.request

import pytest

from patterns.ledger import query
from patterns.ledger.models import Message
from playground.embedded_redis import free_port
from playground.processes import stop
from tests.helpers import FeedClient
from tests.servers import ROOT, start_daphne

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def pigeon_env(server_env):
    return dict(server_env, PLAYGROUND_EXTRA_APPS="tests.pigeon")


@pytest.fixture(scope="module")
def pigeon_server(pigeon_env):
    server = start_daphne(pigeon_env, name="daphne-pigeon", port=free_port())
    yield server
    stop([server.process])


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def _post(url, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_its_page_and_the_navigation_come_from_its_declaration(pigeon_server):
    status, html = _get(pigeon_server.url + "/pigeon/")
    assert status == 200 and "Tie a note to a bird." in html
    assert 'href="/pigeon/"' in _get(pigeon_server.url + "/")[1]


def test_its_api_records_a_checked_message_and_the_feed_carries_it(pigeon_server):
    with FeedClient(pigeon_server, after=query.last_id()) as feed:
        status, sent = _post(pigeon_server.url + "/api/pigeon/notes", {"text": "hello"})
        assert status == 201
        row = Message.objects.get(uid=sent["uid"])
        assert (row.style, row.payload, row.valid) == ("pigeon", {"text": "hello"}, True)
        assert [m["uid"] for m in feed.collect(1)] == [sent["uid"]]
    document = json.loads(_get(pigeon_server.url + "/api/openapi.json")[1])
    assert "/api/pigeon/notes" in document["paths"]


def test_fire_presses_its_button_from_a_terminal(pigeon_env):
    before = Message.objects.filter(style="pigeon").count()
    listed = subprocess.run(
        [sys.executable, "manage.py", "fire", "--list"],
        cwd=ROOT,
        env=pigeon_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "pigeon note" in " ".join(listed.stdout.split())
    fired = subprocess.run(
        [sys.executable, "manage.py", "fire", "pigeon", "note", "--data", '{"text": "coo"}'],
        cwd=ROOT,
        env=pigeon_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fired.returncode == 0, fired.stderr
    assert Message.objects.filter(style="pigeon").count() == before + 1
