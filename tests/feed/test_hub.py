"""The feed hub's ordering and merging of doorbell rings (the rest of the feed is tested end to
end in test_feed.py and tests/rooms)."""

from patterns.feed.hub import Hub, merge_rings


def ring(prev_id, last_id, inline=True):
    rows = [{"id": i} for i in range(prev_id + 1, last_id + 1)] if inline else None
    return {"type": "ledger.doorbell", "prev_id": prev_id, "last_id": last_id, "messages": rows}


def spans(events):
    return [(e.get("prev_id"), e.get("last_id")) for e in events]


def test_rings_that_follow_each_other_become_one_ring_even_when_they_arrived_out_of_order():
    merged = merge_rings([ring(10, 12), ring(9, 10), ring(12, 13)])
    assert spans(merged) == [(9, 13)]
    assert [row["id"] for row in merged[0]["messages"]] == [10, 11, 12, 13]


def test_a_gap_a_ring_without_rows_or_another_event_keeps_rings_apart():
    room = {"type": "room.event", "room": {"paused": True}}
    merged = merge_rings([ring(1, 2), ring(2, 3, inline=False), ring(5, 6), room, ring(6, 7)])
    assert spans(merged) == [(1, 2), (2, 3), (5, 6), (None, None), (6, 7)]


def test_a_ring_that_overtook_the_one_before_it_is_held_until_that_one_arrives():
    hub = Hub.__new__(Hub)
    hub.last_id = None
    assert spans(hub.in_order([ring(0, 5)], flush=False)[0]) == [
        (0, 5)
    ]  # the first ring goes at once
    ready, held = hub.in_order([ring(7, 8)], flush=False)  # 6..7 is still on its way
    assert ready == [] and spans(held) == [(7, 8)]
    ready, held = hub.in_order(held + [ring(5, 7)], flush=False)
    assert spans(ready) == [(5, 7), (7, 8)] and held == [] and hub.last_id == 8
    ready, held = hub.in_order([ring(9, 10)], flush=True)  # 8..9 never came: sent anyway
    assert spans(ready) == [(9, 10)] and hub.last_id == 10
