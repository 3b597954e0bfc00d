"""Attack demos: real requests to Shop's receiver that it must refuse.

Forge: the attacker knows the URL and the body format but not the secret, so it signs with a
secret of its own. Replay: the attacker captured a genuine delivery ten minutes ago (here: one
Payments signed with a timestamp ten minutes back) and sends it again, byte for byte.
"""

import json
import uuid
from datetime import timedelta

from django.utils import timezone

from patterns.ledger.recorder import record
from patterns.ledger.roomctx import world, world_header

from . import catalog, endpoints, ladder, sender, shop, signing
from .models import Event

KINDS = {
    "forge": "a forged delivery, signed with a secret the attacker made up",
    "replay": "a genuine delivery captured 10 minutes ago, sent again unchanged",
}


def _captured_event():
    """The latest real event to replay (a sample if nothing was sent yet)."""
    event = Event.objects.filter(world=world(), source="payments").order_by("-id").first()
    if event:
        return event.event_id, event.type, event.body
    sample = catalog.TYPES["payment.completed"]
    return (
        "evt_" + uuid.uuid4().hex[:24],
        sample.name,
        catalog.encode(sample, sample.sample, timezone.now()),
    )


def build(kind):
    """(webhook id, type, body, headers) of the attack request."""
    now = timezone.now()
    if kind == "forge":
        event_type = catalog.TYPES["refund.created"]
        data = {**event_type.sample, "amount": 999.0, "reason": "send the money to me"}
        webhook_id = "evt_" + uuid.uuid4().hex[:24]
        body = catalog.encode(event_type, data, now)
        return (
            webhook_id,
            event_type.name,
            body,
            signing.headers(webhook_id, now, body, [signing.new_secret()]),
        )
    webhook_id, kind_name, body = _captured_event()
    captured = now - timedelta(minutes=10)
    secrets = endpoints.secrets_in_use(endpoints.builtin())
    return webhook_id, kind_name, body, signing.headers(webhook_id, captured, body, secrets)


def run(kind):
    webhook_id, type_name, body, headers = build(kind)
    # The webhook id it claims is its exchange: the receiver's verdict lands beside it.
    common = {"style": "webhooks", "kind": type_name, "correlation_id": webhook_id}
    started = timezone.now()
    record(
        **common,
        hop=kind,
        source="attacker",
        target="shop",
        status="pending",
        payload=json.loads(body),
        headers=headers,
        error=KINDS[kind],
    )
    # To this world's Shop (the world travels signed beside the attack, and is not part of it).
    outcome = sender.post(
        shop.address(), body, {**headers, **world_header()}, ladder.timeout(), check_url=False
    )
    refused = outcome.status_code in (400, 401)
    # From the attacker's side a refusal is a failure: drawn red, like every refused request.
    record(
        **common,
        hop="answer",
        source="shop",
        target="attacker",
        status="error" if refused else "ok",
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        sent_at=started,
        payload={"refused": refused, "body": outcome.response[:200]},
        error="refused: the attack failed, as it should"
        if refused
        else f"the receiver did not refuse it: {outcome.error or outcome.status_code}",
    )
    return outcome
