"""Reset gives Shop its original schema back, and the ledger says so."""

import pytest

from patterns.database import demo
from patterns.ledger.models import Message

pytestmark = [
    pytest.mark.django_db(databases=["default", "shop"], transaction=True),
    pytest.mark.usefixtures("shop"),
]


def ship(client, change):
    return client.post("/api/database/schema", {"change": change}, content_type="application/json")


def test_a_rooms_reset_leaves_shops_schema_which_every_room_shares(client):
    assert ship(client, "rename_column").json()["ran"] is True
    done = demo.reset("ROOM2")
    assert done["was"] == {} and done["now"] == {"shop_schema": "changed: rename_column"}
    assert "only the owner" in done["note"]
    assert client.get("/api/database/schema").json()["applied"] == ["rename_column"]


def test_the_owners_reset_undoes_every_change_shop_shipped_and_keeps_its_data(client):
    def columns():
        return {t: set(c) for t, c in client.get("/api/database/schema").json()["tables"].items()}

    before = columns()
    assert ship(client, "rename_column").json()["ran"] is True
    assert ship(client, "split_table").json()["ran"] is True

    done = demo.reset("")

    assert client.get("/api/database/schema").json()["applied"] == []
    assert columns() == before  # (a restored column comes back at the end of its table)
    assert client.get("/api/shop/orders?limit=1", HTTP_X_CLIENT_ID="reset-test").json()["items"][0][
        "total"
    ]
    message = Message.objects.get(style="database", kind="demo.reset")
    assert message.valid is True and message.status == "ok" and message.room == ""
    assert message.payload["was"] == {"shop_schema": "changed: rename_column, split_table"}
    assert (
        message.payload["now"] == {"shop_schema": "original"} and done["message_id"] == message.id
    )
    restored = Message.objects.filter(style="database", kind="schema.change").latest("id")
    assert restored.payload["change"] == "restore" and restored.id < message.id


def test_a_reset_of_the_original_schema_runs_no_migration():
    assert demo.reset()["was"] == {}
    assert not Message.objects.filter(style="database", kind="schema.change").exists()
