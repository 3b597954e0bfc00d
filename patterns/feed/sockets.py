"""What every WebSocket consumer of the playground shares: frames decoded in one place (frames.py),
an error frame for a bad one, and the consumer's hold on shared state (presence, the hub)
released however the connection ends.

Channels calls `disconnect` only when the page says goodbye. A consumer that raised instead died
without it: the page saw 1011 and the viewer stayed counted. Here a frame whose handling fails
unexpectedly is logged and answered with an error frame and a clean close (1011), and `release`
runs once whatever ended the consumer: a goodbye, an exception, or a cancellation.
"""

import logging

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import frames

log = logging.getLogger(__name__)


class PlaygroundConsumer(AsyncJsonWebsocketConsumer):
    """Subclasses handle decoded frames in `receive_json` and let go of shared state in `release`."""

    max_frame_bytes = frames.MAX_BYTES
    # No channel of its own on the channel layer: nothing is ever sent to one page's channel (the
    # feed's rings reach it through its process's hub, the streams' broadcasts through one pub/sub
    # subscription). Channels would otherwise run a receive for every page, which takes its turn
    # at the process's blocking pop on Redis; a blocking pop can swallow its cancellation
    # (redis-py), and a consumer whose receive did so never ended nor let go of what it held.
    channel_layer_alias = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.release_once()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            content = frames.decode(text_data, bytes_data, self.max_frame_bytes)
        except frames.BadFrame as exc:  # answer with an error frame; keep the connection
            await self.send_error(exc.code, exc.detail)
            return
        try:
            await self.receive_json(content)
        except Exception:
            log.exception("%s: handling a frame failed", type(self).__name__)
            await self.send_error(
                "server_error", "the server could not handle that frame; reconnect"
            )
            await self.close(code=1011)

    async def disconnect(self, code):
        await self.release_once()

    async def release_once(self):
        if getattr(self, "_released", False):
            return
        self._released = True
        try:
            await self.release()
        except Exception:  # Redis gone: presence entries expire by themselves
            log.warning("%s: release failed", type(self).__name__, exc_info=True)

    async def release(self):
        """Let go of what this connection holds outside itself. Runs once."""

    async def send_error(self, code, detail, **extra):
        await self.send_json({"type": "error", "error": code, "detail": detail, **extra})
