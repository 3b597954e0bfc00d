"""The one decoder of WebSocket frames: bounded in size and depth, JSON objects only, no NaN."""

import pytest

from patterns.feed.frames import MAX_DEPTH, BadFrame, decode, depth


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "empty_frame"),
        (b"", "empty_frame"),
        ("x" * 4097, "frame_too_large"),
        ("é" * 2049, "frame_too_large"),  # bytes are counted, not characters
        ("[" * 1000 + "]" * 1000, "frame_too_deep"),
        ("{" * 2000, "frame_too_deep"),
        ('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), "frame_too_deep"),
        ('{"n": NaN}', "bad_frame"),
        ('{"n": -Infinity}', "bad_frame"),
        ('{"n": 1e999}', "bad_frame"),
        ('{"n": 1' + "0" * 4400 + "}", "frame_too_large"),
        (b"\xff\xfe{}", "bad_frame"),
        ("[1, 2]", "bad_frame"),
        ('"text"', "bad_frame"),
        ("not json", "bad_frame"),
    ],
)
def test_a_bad_frame_is_refused_with_a_code(raw, code):
    with pytest.raises(BadFrame) as refused:
        decode(raw) if isinstance(raw, str) else decode(data=raw)
    assert refused.value.code == code and refused.value.detail


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = '{"type": "chat", "text": "' + "[{" * 500 + '\\"]"}'
    assert depth(text) == 1
    assert decode(text)["text"].startswith("[{[{")


@pytest.mark.parametrize(
    "raw",
    [
        '{"type": "sync"}',
        b'{"type": "sync"}',
        '{"type": "subscribe", "streams": {"chat": {"after": 1.5e3}}}',
    ],
)
def test_a_good_frame_is_decoded(raw):
    frame = decode(raw) if isinstance(raw, str) else decode(data=raw)
    assert frame["type"] in ("sync", "subscribe")
