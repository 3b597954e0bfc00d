"""The one way bodies come in (patterns/site/bodies.py) and the column limits behind every write
(patterns/ledger/columns.py), tested as functions: what each refuses, and what it must not."""

import json

import pytest

from patterns.ledger.errors import ApiError
from patterns.ledger.models import Message
from patterns.ledger.recorder import record, storable
from patterns.rooms.models import Room
from patterns.site import bodies


@pytest.mark.parametrize(
    "raw, says",
    [
        (b"[" * 100_000, "nested more than 64"),
        (b'{"a":' * 65 + b"1" + b"}" * 65, "nested more than 64"),
        (
            b'["]]]]]]]]", ' + b"[" * 65 + b"]" * 66,
            "nested more than 64",
        ),  # brackets in a string hide nothing
        (b'{"a": NaN}', "NaN"),
        (b"[Infinity]", "Infinity"),
        (b"-Infinity", "Infinity"),
        (b"[1e400]", "too large"),
        (b"7" * 5000, "digits"),
        (b'{"a": -' + b"9" * 41 + b"}", "digits"),
        (b"0." + b"1" * 50, "digits"),
        (b'"\\ud800"', "surrogate"),
        (b'{"\\udc00": 1}', "surrogate"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b'{"a": ', "not valid JSON"),
        (b"", "not valid JSON"),
    ],
)
def test_a_body_json_cannot_safely_read_is_refused_with_a_400_that_says_why(raw, says):
    with pytest.raises(bodies.BodyRefused) as refused:
        bodies.loads(raw)
    assert (
        refused.value.status == 400
        and refused.value.error == "invalid_json"
        and says in refused.value.detail
    )


@pytest.mark.parametrize(
    "value",
    [
        {"a": "[[[[[[" * 30, "b": "]]]]" * 30, "c": '\\"[{'},
        [[[[1]]]],
        2**127,
        -(10**39),
        1.5e308,
        "\U0001f600",
        "x\x00y",
        {"nested": [{"k": [1, 2, {"d": None}]}] * 3},
    ],
)
def test_json_within_the_limits_reads_as_json_loads_would(value):
    raw = json.dumps(value).encode()
    assert bodies.loads(raw) == json.loads(raw)


def test_sixty_four_levels_are_fine_and_sixty_five_are_not():
    assert bodies.loads(b"[" * 64 + b"]" * 64) is not None
    with pytest.raises(bodies.BodyRefused):
        bodies.loads(b"[" * 65 + b"]" * 65)


def test_an_unclosed_string_full_of_escapes_is_scanned_in_one_pass():
    with pytest.raises(bodies.BodyRefused):  # quadratic scanning would make this take minutes
        bodies.loads(b'"' + b'\\"' * 500_000)


@pytest.mark.parametrize(
    "path, length, chunked, status",
    [
        ("/api/ping", "2000000", False, 413),
        ("/api/ping", "12x", False, 400),
        ("/api/ping", None, True, 411),
        ("/api/ping", "100", False, None),
        ("/api/ping", None, False, None),
        ("/", "99999999", False, None),
    ],
)
def test_the_door_decides_from_the_headers_alone(path, length, chunked, status):
    refused = bodies.refused_at_door(path, length, chunked)
    assert (refused.status if refused else None) == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title, says", [("x" * 81, "at most 80"), ("a\x00b", "NUL"), ("a\ud800", "surrogate")]
)
def test_text_a_column_cannot_hold_is_refused_before_writing_on_every_database(title, says):
    with pytest.raises(ApiError) as refused:
        Room.objects.create(code="ABCDE", key_hash="x", title=title)
    assert (
        refused.value.status == 400
        and refused.value.field == "title"
        and says in refused.value.detail
    )
    assert not Room.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_a_json_column_is_refused_before_writing():
    from patterns.streams.models import StreamEvent

    with pytest.raises(ApiError) as refused:
        StreamEvent.objects.create(stream="chat", seq=1, uid="chat-1", payload={"text": "a\x00b"})
    assert refused.value.field == "payload" and not StreamEvent.objects.exists()


@pytest.mark.django_db
def test_the_ledger_refuses_an_id_longer_than_its_column_and_keeps_odd_text_it_can_store():
    with pytest.raises(ApiError) as refused:
        record(
            style="ping", kind="test", hop="sent", source="a", target="b", correlation_id="c" * 65
        )
    assert refused.value.field == "correlation_id" and not Message.objects.exists()
    row = record(
        style="ping", kind="test", hop="sent", source="a", target="b", payload={"k": "a\x00b\ud800"}
    )
    assert Message.objects.get(id=row.id).payload == {"k": "ab?"}
    assert storable("\udfff") == "?"
