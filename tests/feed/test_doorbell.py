"""The one rule that chains doorbell rings, used by the sender (doorbell._chains) and by the feed
hub (hub.merge_rings, tested in test_hub.py)."""

import copy

from patterns.feed import doorbell
from patterns.feed.doorbell import chain


def rows(prev_id, last_id):
    return [{"id": i} for i in range(prev_id + 1, last_id + 1)]


def ring(prev_id, last_id, inline=True):
    return {
        "type": "ledger.doorbell",
        "prev_id": prev_id,
        "last_id": last_id,
        "messages": rows(prev_id, last_id) if inline else None,
    }


def spans(rings):
    return [(r["prev_id"], r["last_id"]) for r in rings]


def test_rings_that_follow_each_other_become_one_ring_in_id_order():
    chained = chain([ring(3, 5), ring(0, 3), ring(5, 6)])
    assert spans(chained) == [(0, 6)]
    assert [row["id"] for row in chained[0]["messages"]] == [1, 2, 3, 4, 5, 6]


def test_a_gap_or_a_ring_without_rows_starts_a_new_ring():
    assert spans(chain([ring(0, 2), ring(2, 4, inline=False), ring(4, 5), ring(7, 8)])) == [
        (0, 2),
        (2, 4),
        (4, 5),
        (7, 8),
    ]


def test_chaining_leaves_the_rings_it_was_given_as_they_were():
    given = [ring(0, 2), ring(2, 4)]
    before = copy.deepcopy(given)
    chain(given)
    assert given == before


def test_the_sender_chains_each_rooms_rings_apart():
    sent = doorbell._chains(
        [
            ("ledger", 0, rows(0, 2)),
            ("ledger.room.A", 1, rows(1, 3)),
            ("ledger", 2, rows(2, 4)),
            ("ledger.room.A", 3, rows(3, 5)),
        ]
    )
    assert [(group, r["prev_id"], r["last_id"]) for group, r in sent] == [
        ("ledger", 0, 4),
        ("ledger.room.A", 1, 5),
    ]


def test_the_sender_sends_ids_only_for_a_ring_too_large_to_carry_its_rows():
    big = [{"id": i, "payload": "x" * 1000} for i in range(1, 100)]
    [(_, sent)] = doorbell._chains([("ledger", 0, big)])
    assert (sent["prev_id"], sent["last_id"], sent["messages"]) == (0, 99, None)
