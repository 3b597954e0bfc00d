"""The browser is never trusted: CSRF on browser POSTs, escaped output, a safe production profile."""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from patterns.ledger.models import Message
from playground.celery import app as celery_app
from tests.helpers import record_pings
from tests.servers import ROOT


@pytest.fixture
def browser_client():
    """A browser-like client: it has loaded a page (so it holds the CSRF cookie)."""
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    return client


@pytest.fixture
def purge_queue():
    yield
    celery_app.control.purge()  # the pings sent here have no worker; leave no job behind


@pytest.mark.django_db
def test_a_browser_post_without_the_csrf_token_is_refused_and_records_nothing(browser_client):
    response = browser_client.post("/api/ping", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_browser_post_from_a_foreign_page_is_refused(browser_client):
    token = browser_client.cookies["csrftoken"].value
    response = browser_client.post(
        "/api/ping",
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
        HTTP_ORIGIN="https://evil.example",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_browser_post_with_the_token_goes_through(browser_client, purge_queue):
    token = browser_client.cookies["csrftoken"].value
    response = browser_client.post(
        "/api/ping", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
    assert Message.objects.count() == 2


@pytest.mark.django_db
def test_a_script_without_cookies_posts_without_a_token(purge_queue):
    response = Client(enforce_csrf_checks=True).post(
        "/api/ping", {}, content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_message_data_is_escaped_on_every_page(client):
    payload = {"note": "<script>alert(1)</script><img src=x onerror=alert(2)>"}
    [message_id] = record_pings(1, payload=payload, kind="<b>kind</b>")
    for url in ("/messages/", f"/messages/{message_id}/"):
        html = client.get(url).content.decode()
        assert (
            "<script>alert" not in html and "<img src=x" not in html and "<b>kind</b>" not in html
        )
        assert "&lt;b&gt;kind&lt;/b&gt;" in html


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_production_profile_passes_the_deploy_check(tmp_path):
    env = dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="playground.example.org",
        PLAYGROUND_DATA_DIR=str(tmp_path),
    )
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_production_profile_refuses_to_start_without_a_secret_key(tmp_path):
    env = dict(os.environ, DEBUG="false", PLAYGROUND_DATA_DIR=str(tmp_path))
    env.pop("SECRET_KEY", None)
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
