"""The file drop's API: uploads (names, sizes, encodings), downloads that cannot leave the data
directory, the listing, the demo failures and `manage.py fire files …`."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from patterns.files import folders
from patterns.files.models import Booking
from patterns.ledger.models import Message
from patterns.shop import store

from .conftest import csv_text, files_in, row

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


def upload(client, name, data):
    return client.post(
        "/api/files/upload", {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


def test_an_uploaded_csv_lands_in_the_inbox_with_a_manifest_and_is_picked_up(client):
    response = upload(client, "mine.csv", csv_text([row(1), row(2, total="x")]).encode())
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 2
    assert files_in("inbox") == ["mine.csv", "mine.csv" + folders.MANIFEST]
    assert Message.objects.get(kind="file.uploaded").valid is True
    report = client.post("/api/files/pickup").json()["reports"][0]
    assert (report["imported"], report["bad_rows"][0]["line"]) == (1, 3)


@pytest.mark.parametrize(
    "name, stored",
    [
        ("../../x.csv", "x.csv"),
        ("/etc/passwd.csv", "passwd.csv"),
        ("..\\..\\win.csv", "win.csv"),
        ("weird name!.csv", "weird_name_.csv"),
    ],
)
def test_an_uploads_name_cannot_leave_the_inbox(client, name, stored):
    response = upload(client, name, csv_text([row(1)]).encode())
    assert response.status_code == 200 and response.json()["file"] == stored
    assert stored in files_in("inbox")
    assert not (folders.root().parent / "x.csv").exists()


def test_a_name_with_a_nul_byte_is_refused():
    with pytest.raises(folders.BadName):
        folders.sanitise("a\x00.csv")
    with pytest.raises(folders.BadName):
        folders.check_name("x.csv\x00")


@pytest.mark.parametrize("name", ["..%2F..%2Fx.csv", "%2Fetc%2Fpasswd", "x.csv%00", "..", ".lock"])
def test_a_download_cannot_leave_the_data_directory(client, name):
    (folders.root().parent / "x.csv").write_text("secret")
    response = client.get(f"/api/files/{name}")
    assert response.status_code in (400, 404)  # a decoded "/" matches no route at all: Django's 404
    if response["Content-Type"] == "application/json":
        assert response.json()["error"] in ("bad_file_name", "not_found")
    assert b"secret" not in response.content


def test_an_oversized_upload_is_refused_before_anything_is_written(client, monkeypatch):
    monkeypatch.setattr("patterns.files.uploads.MAX_BYTES", 1000)
    response = upload(client, "big.csv", csv_text([row(n) for n in range(1, 40)]).encode())
    assert response.status_code == 413 and response.json()["error"] == "file_too_large"
    assert files_in("inbox") == [] and Booking.objects.count() == 0
    assert not Message.objects.filter(style="files").exists()


def test_non_utf8_input_is_refused_with_the_byte_offset(client):
    data = csv_text([row(1)]).encode() + "2,1,Zoë,1.00,EUR,paid,x,y\r\n".encode("latin-1")
    response = upload(client, "latin.csv", data)
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["field"]) == ("not_utf8", "file")
    assert f"byte {data.index(bytes([0xEB]))} cannot be decoded" in body["detail"]
    assert files_in("inbox") == []


def test_the_listing_download_and_table_view(client):
    upload(client, "mine.csv", csv_text([row(1), row(2, status="lost")]).encode())
    client.post("/api/files/pickup")
    listing = client.get("/api/files").json()
    entry = next(f for f in listing["files"] if f["name"] == "mine.csv")
    assert (entry["folder"], entry["state"], entry["report"]["refused"]) == (
        "processed",
        "imported",
        1,
    )
    assert listing["contract"]["columns"][0]["name"] == "order_id"
    download = client.get("/api/files/mine.csv")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(
        b"order_id,"
    )
    table = client.get("/api/files/mine.csv/rows?limit=1").json()
    assert table["rows"] == [{"line": 2, "cells": row(1)}] and table["truncated"] is True


@pytest.mark.parametrize("body, field", [({"scenario": "flood"}, "scenario"), ({}, "scenario")])
def test_a_bad_demo_request_gets_a_clear_4xx_and_changes_nothing(client, body, field):
    response = client.post("/api/files/demo", json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Message.objects.filter(style="files").exists()


def test_each_demo_failure_happens_for_real(client, shop):
    partial = client.post(
        "/api/files/demo", {"scenario": "partial"}, content_type="application/json"
    ).json()
    assert (
        partial["rows_written"] < partial["rows_meant"]
        and partial["file"] in partial["pickup"]["waiting"]
    )
    changed = client.post(
        "/api/files/demo", {"scenario": "schema_change"}, content_type="application/json"
    ).json()
    assert changed["pickup"]["reports"][0]["column"] == "total"
    bad = client.post(
        "/api/files/demo", {"scenario": "bad_row"}, content_type="application/json"
    ).json()
    report = bad["pickup"]["reports"][0]
    # Every order Shop has (it took a few more before each export), but one: line 5's.
    orders = len(list(store.iter_orders()))
    assert (report["imported"], report["refused"], report["bad_rows"][0]["line"]) == (
        orders - 1,
        1,
        5,
    )
    late = client.post(
        "/api/files/demo", {"scenario": "late"}, content_type="application/json"
    ).json()
    assert late["late_day"] == 4 and "paused" in late["detail"]
    assert not Message.objects.filter(style="files", valid=False).exists()


def test_fire_files_export_works_from_a_terminal(shop, capsys):
    call_command("fire", "files", "export")
    assert "fired files export" in capsys.readouterr().out
    assert len([n for n in files_in("inbox") if n.endswith(".csv")]) == 1
    assert Message.objects.filter(style="files", kind="file.exported").count() == 1


def test_a_browser_upload_without_the_csrf_token_is_refused_and_writes_nothing():
    browser = Client(enforce_csrf_checks=True)
    assert browser.get("/file-drop/").status_code == 200  # holds the CSRF cookie, as a page would
    response = browser.post(
        "/api/files/upload",
        {"file": SimpleUploadedFile("a.csv", csv_text([row(1)]).encode())},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 403 and response.json()["error"] == "csrf_failed"
    assert files_in("inbox") == []
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/files/upload",
        {"file": SimpleUploadedFile("a.csv", csv_text([row(1)]).encode())},
        HTTP_ORIGIN="http://testserver",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_every_files_trigger_records_only_messages_that_claim_and_meet_a_contract(shop):
    from patterns.contracts import registry as contracts
    from patterns.site import triggers

    fired = [t for t in triggers.all_triggers() if t.style == "files"]
    assert {t.kind for t in fired} == {"export", "pickup", "demo"}
    for trigger in fired:
        trigger.fire({})
    for scenario in ("partial", "schema_change", "late"):
        triggers.get("files", "demo").fire({"scenario": scenario})
    messages = Message.objects.filter(style="files")
    assert {m.kind for m in messages} >= {
        "file.exported",
        "file.delivered",
        "file.partial",
        "pickup.checked",
        "file.imported",
        "file.rejected",
        "row.imported",
        "row.refused",
        "rows.summary",
    }
    for m in messages:
        assert m.contract and contracts.get(m.contract) is not None, m.kind
        assert m.valid is True, (m.kind, m.error)


def test_every_export_then_pickup_imports_something_new_first_and_after_every_demo(client, shop):
    def press(path, body=None):
        response = client.post(f"/api/files/{path}", body or {}, content_type="application/json")
        assert response.status_code == 200, response.json()
        return response.json()

    def export_then_pickup():
        exported = press("export")
        assert exported["new_orders"] >= 1  # Shop kept selling since its last export
        picked = press("pickup")
        assert (picked["imported"], picked["rejected"]) == (1, 0), picked["note"]
        assert "already imported" not in picked["note"]
        [report] = [r for r in picked["reports"] if r["outcome"] == "imported"]
        assert report["imported"] == exported["rows"]
        return exported

    first = export_then_pickup()  # first thing on a fresh playground
    second = export_then_pickup()
    assert second["rows"] == first["rows"] + second["new_orders"]
    for scenario in ("partial", "schema_change", "bad_row", "late"):
        press("demo", {"scenario": scenario})
    third = export_then_pickup()  # and after every other demo
    assert third["rows"] > second["rows"]
    assert Booking.objects.count() == len(list(store.iter_orders())) == third["rows"]
