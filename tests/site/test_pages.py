import csv
import io
import json

import pytest
from django.utils.html import escape

from patterns.ledger.admin import MessageAdmin
from patterns.ledger.models import Message
from patterns.site.styles import STYLES
from tests.helpers import record_pings

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_and_links_the_six_styles(client):
    html = client.get("/").content.decode()
    assert len(STYLES) == 6
    for style in STYLES:
        assert escape(style.name) in html and escape(style.sentence) in html
        assert f'href="{style.url}"' in html
    assert "the contract" in html


def test_the_home_page_shows_how_many_messages_are_recorded(client):
    record_pings(7)
    assert b'data-total-count aria-live="polite">7<' in client.get("/").content


def test_the_message_log_shows_the_newest_first_and_filters(client):
    ids = record_pings(3)
    record_pings(1, status="error")
    html = client.get("/messages/").content.decode()
    assert html.index(f'data-message-id="{ids[2]}"') < html.index(f'data-message-id="{ids[0]}"')
    filtered = client.get("/messages/", {"status": "error"}).content.decode()
    assert filtered.count("<tr data-message-id=") == 1


def test_a_bad_filter_on_the_log_page_says_so(client):
    response = client.get("/messages/", {"status": "great"})
    assert response.status_code == 400
    assert "That filter was not applied" in response.content.decode()


def test_an_empty_log_says_what_to_do(client):
    assert "Send a ping" in client.get("/messages/").content.decode()


def test_the_detail_page_shows_every_hop_of_the_exchange(client):
    first, second = record_pings(2, correlation_id="exchange-1")
    html = client.get(f"/messages/{second}/").content.decode()
    assert f'href="/messages/{first}/"' in html and "exchange-1" in html
    assert client.get("/messages/999999/").status_code == 404


def test_the_filtered_view_exports_as_csv_with_formulas_defused(client):
    record_pings(2, payload={"x": 1})
    record_pings(1, kind="=HYPERLINK(evil)")
    response = client.get("/messages/export.csv", {"kind": "=HYPERLINK(evil)"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["kind"] == "'=HYPERLINK(evil)"


def test_the_filtered_view_exports_as_json(client):
    ids = record_pings(3)
    body = json.loads(b"".join(client.get("/messages/export.json").streaming_content))
    assert [m["id"] for m in body["messages"]] == ids


def test_the_admin_shows_the_ledger_read_only(admin_client):
    record_pings(1)
    assert admin_client.get("/admin/ledger/message/").status_code == 200
    admin = MessageAdmin(Message, None)
    assert not admin.has_add_permission(None)
    assert not admin.has_change_permission(None) and not admin.has_delete_permission(None)
