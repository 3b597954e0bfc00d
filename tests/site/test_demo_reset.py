"""Every style has a Reset of its own (patterns.<style>.demo.reset) with a contract it registers;
each records one "demo.reset" message into the world it resets, and the ledger loses nothing."""

import pytest

from patterns.contracts import registry
from patterns.ledger.models import Message
from patterns.site.styles import styles
from tests.helpers import record_pings

pytestmark = [
    pytest.mark.django_db(databases=["default", "shop"], transaction=True),
    pytest.mark.usefixtures("shop", "clean_shop_state"),
]


def resets():
    return {config.card.key: config.part("reset") for config in styles()}


def test_every_style_has_a_reset_and_registers_its_contract():
    assert set(resets()) == {"api", "files", "webhooks", "queue", "streams", "database"}
    for key in resets():
        contract = registry.get(f"{key}.demo.reset")
        assert contract is not None and contract.channel == "http", key


def test_each_reset_records_one_valid_message_in_its_world_and_deletes_nothing():
    kept = record_pings(3, room="ROOM9")
    for reset in resets().values():
        reset("ROOM9")
    recorded = Message.objects.filter(kind="demo.reset")
    assert sorted(recorded.values_list("style", flat=True)) == sorted(resets())
    assert {(m.room, m.valid, m.status, m.contract) for m in recorded} == {
        ("ROOM9", True, "ok", f"{m.style}.demo.reset") for m in recorded
    }
    assert Message.objects.filter(id__in=kept).count() == 3


def test_a_piece_that_cannot_be_put_back_leaves_the_others_to_be_and_the_message_says_which():
    from patterns.site import resets

    state = {"mode": "down", "switch": "on"}

    def refuse():
        raise ConnectionError("the broker is away")

    pieces = [
        resets.Piece("mode", lambda: state["mode"], "healthy", refuse),
        resets.Piece("switch", lambda: state["switch"], "off", lambda: state.update(switch="off")),
    ]
    done = resets.reset("api", "", pieces, target="shop")
    assert state["switch"] == "off" and done["now"] == {"mode": "down", "switch": "off"}
    message = Message.objects.get(id=done["message_id"])
    assert message.status == "error" and message.valid is True
    assert message.error == "not back to the default: mode (the broker is away)"
