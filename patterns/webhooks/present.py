"""Rows as the API shows them: secrets only to their world's key holder, the built-in endpoint's
live address, waits in ms."""

import json

from django.utils import timezone

from patterns.ledger.roomctx import holds_key

from . import endpoints, ladder


def endpoint_out(e):
    return {
        "id": e.id,
        "url": endpoints.target_url(e) if e.builtin else e.url,
        "builtin": e.builtin,
        "description": e.description,
        "event_types": e.event_types,
        "disabled": e.disabled,
        "disabled_reason": e.disabled_reason,
        "failure_run": e.failure_run,
        "disable_after": e.disable_after,
        "secret_hint": f"whsec_…{e.secret[-4:]}",
        "rotating_until": endpoints.rotation_ends_in(e),
        "created_at": e.created_at,
        "secret": secret_out(e),
    }


def secret_out(e):
    """The endpoint's `whsec_` secret, or None: a student in a room, or anyone without the owner's
    key when the shared demo is served to others, never sees one."""
    return e.secret if holds_key() else None


def event_out(e):
    return {
        "seq": e.id,
        "event_id": e.event_id,
        "type": e.type,
        "source": e.source,
        "created_at": e.created_at,
        "body": json.loads(e.body),
    }


def delivery_out(d):
    wait = (
        (d.next_attempt_at - timezone.now()).total_seconds() * 1000
        if d.next_attempt_at and d.state == "pending"
        else None
    )
    return {
        "id": d.id,
        "event_id": d.event.event_id,
        "type": d.event.type,
        "endpoint_id": d.endpoint_id,
        "endpoint": d.endpoint.label,
        "endpoint_disabled": d.endpoint.disabled,
        "state": d.state,
        "attempts": d.attempts,
        "max_attempts": ladder.ATTEMPTS,
        "next_attempt_at": d.next_attempt_at if d.state == "pending" else None,
        "next_attempt_in_ms": max(0.0, wait) if wait is not None else None,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "created_at": d.created_at,
        "delivered_at": d.delivered_at,
        "attempt_log": list(d.attempt_set.all()),
    }
