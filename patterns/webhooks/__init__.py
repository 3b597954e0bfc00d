"""Webhooks: "Don't ask me again and again. I'll call you when something happens."

Payments (and Shop's storefront) POST a signed JSON event to every endpoint that subscribed, the
moment it happens; a receiver verifies the signature, answers 2xx, and does nothing in between.
Trade-off: no wasted polling and near-zero staleness, but the sender must keep an outbox, retry
on a ladder for hours, sign every message, and the receiver must verify, deduplicate and be
reachable from the outside.
"""
