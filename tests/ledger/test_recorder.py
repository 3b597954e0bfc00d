import pytest

from patterns.ledger.models import Message
from patterns.ledger.recorder import record, record_many

pytestmark = pytest.mark.django_db

HOP = {"style": "ping", "kind": "ping", "hop": "request", "source": "browser", "target": "web"}


def test_the_same_uid_recorded_twice_is_one_row():
    first = record(**HOP, uid="order-42-shipped")
    again = record(**HOP, uid="order-42-shipped", payload={"changed": True})
    assert Message.objects.filter(uid="order-42-shipped").count() == 1
    assert (first.created, again.created) == (True, False)
    assert again.id == first.id and again.payload == {}


def test_a_uid_repeated_within_one_batch_is_recorded_once():
    rows = record_many([{**HOP, "uid": "a"}, {**HOP, "uid": "b"}, {**HOP, "uid": "a"}])
    assert Message.objects.count() == 2
    assert [r.uid for r in rows] == ["a", "b", "a"]
    assert rows[0].id == rows[2].id < rows[1].id


def test_ids_and_timestamps_grow_together():
    rows = [record(**HOP) for _ in range(20)]
    ids = [r.id for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == 20
    times = [r.created_at for r in Message.objects.order_by("id")]
    assert times == sorted(times)


def test_a_batch_larger_than_one_insert_statement_keeps_every_field_and_its_own_id():
    # The ledger writes its own INSERT … RETURNING id, split where the database's parameter limit
    # falls (SQLite: 999): every row must get back the id the database gave it, in order.
    from datetime import UTC, datetime

    sent = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    entries = [
        {
            **HOP,
            "uid": f"row-{n}",
            "payload": {"n": n, "text": "é\u2603"},
            "headers": {"h": [n]},
            "status_code": 200 + n % 3,
            "duration_ms": n / 4,
            "sent_at": sent,
            "valid": n % 2 == 0,
        }
        for n in range(150)
    ]
    rows = record_many(entries)
    assert [r.uid for r in rows] == [f"row-{n}" for n in range(150)]
    assert [r.id for r in rows] == sorted(r.id for r in rows) and len({r.id for r in rows}) == 150
    for n, row in enumerate(rows):
        stored = Message.objects.get(id=row.id)
        assert (stored.uid, stored.payload, stored.headers) == (
            f"row-{n}",
            {"n": n, "text": "é\u2603"},
            {"h": [n]},
        )
        assert (stored.status_code, stored.duration_ms, stored.valid) == (
            200 + n % 3,
            n / 4,
            n % 2 == 0,
        )
        assert stored.sent_at == sent and stored.latency_ms is not None and stored.room == ""


def test_a_message_is_checked_against_the_contract_it_claims():
    good = record(**HOP, contract="ping.request", payload={"note": "hi"})
    bad = record(**HOP, contract="ping.request", payload={"note": "x" * 81})
    unknown = record(**HOP, contract="no.such.contract", payload={})
    assert good.valid is True and good.error == ""
    assert bad.valid is False and "note" in bad.error
    assert unknown.valid is False and "no contract" in unknown.error


def test_latency_is_measured_from_when_the_exchange_began():
    first = record(**HOP)
    later = record(**{**HOP, "hop": "reply"}, sent_at=first.created_at)
    assert later.latency_ms >= 0
    assert later.latency_ms == pytest.approx(
        (later.created_at - first.created_at).total_seconds() * 1000, abs=0.01
    )


@pytest.mark.parametrize(
    "bad", [{"style": "smoke-signals"}, {"hop": ""}, {"status": "great"}, {"colour": "red"}]
)
def test_a_malformed_hop_is_refused_and_nothing_is_written(bad):
    with pytest.raises((ValueError, TypeError)):
        record_many([HOP, {**HOP, **bad}])
    assert Message.objects.count() == 0


def test_a_nul_character_anywhere_is_dropped_so_every_database_stores_the_message():
    # PostgreSQL refuses \u0000 in text and JSON; a hostile upload must still be recorded.
    message = record(
        style="ping",
        kind="nul\x00",
        hop="sent",
        source="a",
        target="b",
        error="bad\x00byte",
        payload={"na\x00me": ["x\x00y", {"deep": "z\x00"}], "n": 1},
    )
    stored = Message.objects.get(pk=message.pk)
    assert (stored.kind, stored.error) == ("nul", "badbyte")
    assert stored.payload == {"name": ["xy", {"deep": "z"}], "n": 1}
