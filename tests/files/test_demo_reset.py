"""Reset puts the file drop's demo back to its defaults (no late night, the clock running), keeps
every file written, and the ledger says so."""

import pytest

from patterns.files import demo
from patterns.ledger.models import Message

pytestmark = [
    pytest.mark.django_db(databases=["default", "shop"], transaction=True),
    pytest.mark.usefixtures("shop"),
]


def scenario(client, name):
    return client.post(
        "/api/files/demo", {"scenario": name}, content_type="application/json"
    ).json()


def test_reset_cancels_the_late_night_starts_the_clock_and_keeps_the_files(client):
    assert (
        scenario(client, "late")["late_day"] == 4
    )  # the clock stands paused at Day 3 · 09:00 (conftest)
    crashed = scenario(client, "partial")["file"]
    names = lambda files: sorted((f["folder"], f["name"]) for f in files)  # noqa: E731
    before = names(client.get("/api/files").json()["files"])

    done = demo.reset()

    after = client.get("/api/files").json()
    assert after["clock"]["running"] is True and after["clock"]["late_day"] is None
    assert after["clock"]["label"].startswith("Day 3 · ")  # story time goes on from where it stood
    assert names(after["files"]) == before and crashed in str(before)
    message = Message.objects.get(style="files", kind="demo.reset")
    assert message.valid is True and message.status == "ok" and message.id == done["message_id"]
    assert message.payload["was"] == {"late_night": 4, "story_clock": "paused at Day 3 · 09:00"}
    assert message.payload["now"] == {"late_night": 0, "story_clock": "running"}
