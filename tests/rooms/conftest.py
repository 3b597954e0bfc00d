import pytest

from patterns.rooms.models import Room


@pytest.fixture
def room():
    """An open room: (code, control key)."""
    opened, key = Room.open("test")
    return opened.code, key
