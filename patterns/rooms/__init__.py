"""Rooms: an instructor's demo mirrored live on every student's screen.

An instructor opens a room (a short code, a join link, a QR code) and keeps its control key in
their browser. Everything fired in the room is recorded with the room's code (patterns.ledger.
roomctx carries it through requests, Celery and stored work), and every page in the room follows
the room's own feed group: the same dots, logs and counters, the instructor's speed and pause.
Trade-off: one server, many rooms, no accounts — the key is a bearer secret, so whoever holds it
is the instructor.
"""
