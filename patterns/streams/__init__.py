"""Streaming: systems stay connected and data flows the moment it exists.

What it demonstrates: a stock ticker, a live chat and a scripted match with live comments, each a
stream with its own sequence numbers, pushed over one held-open WebSocket per page. Every message
is stored (the stream's log, and the ledger) before it is broadcast, so a viewer that drops
resumes after the last sequence number it saw: chat and comments are replayed with no gap and no
duplicate, the ticker skips to the latest price and says so. A slow viewer is flow-controlled
(an acknowledgement window), so the server never buffers for it without bound.

The trade-off: no request, no waiting, no stale data, but every viewer holds a connection open,
the server must track who has seen what, and a reconnect must be designed, not hoped for.
"""
