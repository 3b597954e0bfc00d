"""The guard for WebSockets: every socket runs in the world its `?room=` names, as a request does
(guard.py), and its consumer finds that world in `scope["world"]` (and roomctx.world()).

A socket naming an unknown room is accepted, told so in one error frame and closed with 4404:
closed before it was accepted, the page would only see a failed connection and keep retrying. A
client that tried too many codes that do not exist is closed the same way with 4429.
"""

import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from patterns.ledger.roomctx import current_room

from . import guesses, owner
from .models import find, normalise

UNKNOWN_ROOM = 4404
TOO_MANY_GUESSES = 4429


class SocketGuard:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        named = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("room", [""])
        code = normalise(named[-1])  # the last one, as Django's request.GET reads it
        if code:
            client = (scope.get("client") or ["unknown"])[0]
            try:
                room = await database_sync_to_async(guesses.find)(code, client)
            except guesses.TooManyGuesses as refused:
                return await _refuse(receive, send, TOO_MANY_GUESSES, refused.body())
            if room is None:
                body = {"error": "unknown_room", "detail": f"there is no room {code}"}
                return await _refuse(receive, send, UNKNOWN_ROOM, body)
        token = current_room.set(code)
        try:
            return await self.app(
                {**scope, "world": code, "may_fire": _may_fire(code)}, receive, send
            )
        finally:
            current_room.reset(token)


async def _refuse(receive, send, close_code, body):
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": json.dumps({"type": "error", **body})})
    await send({"type": "websocket.close", "code": close_code})


def _may_fire(code):
    """What a socket's consumer asks before a frame changes what others see (a chat line): the
    rule of the HTTP guard, with the key sent in the frame (a browser cannot add headers to a
    socket). In a room: its key, or anyone while students may fire (read at each frame, so the
    instructor's switch takes effect at once); in the shared demo: the owner, when served."""

    @database_sync_to_async
    def may_fire(key):
        if not code:
            return owner.holds_owner_key(key or "")
        room = find(code)
        return room is not None and (room.students_may_fire or room.key_matches(key or ""))

    return may_fire
