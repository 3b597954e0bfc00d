"""Placing an order exactly once, even when the client retries (after a timeout, say).

A client sends `Idempotency-Key: <anything unique>`; the first request with that key does the
work and its answer is kept for a day; a retry with the same key and body gets that answer back
(`Idempotent-Replayed: true`) instead of a second order. Keys are per client, as at Stripe, and
per world: two rooms' consoles both send X-Client-Id "console" and may well pick the same key, and
a key used in one room must neither hand that room's order to another nor refuse its new order.
"""

import hashlib
import json

from patterns.ledger.errors import ApiError
from patterns.shop import store

from . import state

TTL_SECONDS = 24 * 3600


def _fingerprint(order):
    return hashlib.sha256(order.model_dump_json().encode()).hexdigest()


def _place(order):
    try:
        return store.create_order(order.customer_id, order.total, order.currency)
    except (
        store.NotFound
    ) as exc:  # the body was well-formed but names nobody: the contract's customer_id
        raise ApiError(422, "unknown_customer", f"customer_id: {exc}", "customer_id") from None


def _replay(stored, fingerprint):
    if stored["fingerprint"] != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "this Idempotency-Key was already used with a different "
            "body; use a new key for a new order",
            "Idempotency-Key",
        )
    if stored["order"] is None:
        raise ApiError(
            409,
            "request_in_progress",
            "a request with this Idempotency-Key is still being processed; retry in a moment",
            "Idempotency-Key",
        )
    return stored["order"], True


def create_once(client_id, key, order):
    """(order, replayed): place `order`, or return the order an earlier request with `key` placed."""
    if not key:
        return _place(order), False
    redis, slot, fingerprint = (
        state.client(),
        state.key(f"idem:{client_id}:{key}"),
        _fingerprint(order),
    )
    claim = json.dumps({"fingerprint": fingerprint, "order": None})
    if not redis.set(slot, claim, nx=True, ex=TTL_SECONDS):
        return _replay(json.loads(redis.get(slot) or claim), fingerprint)
    try:
        created = _place(order)
    except Exception:
        redis.delete(slot)  # nothing was placed: a corrected retry may use the key again
        raise
    redis.set(slot, json.dumps({"fingerprint": fingerprint, "order": created}), ex=TTL_SECONDS)
    return created, False
