"""The inspector's extras for a delivery attempt: does its signature verify with the endpoint's
secrets, and the very same request as a curl command (it fails after 5 minutes: stale timestamp)."""

import hmac
import shlex
from datetime import UTC, datetime

from django.shortcuts import get_object_or_404

from patterns.ledger import query
from patterns.ledger.errors import ApiError
from patterns.ledger.roomctx import world

from . import endpoints, signing
from .models import Delivery, Event


def check_attempt(message_id):
    message = get_object_or_404(query.visible(), id=message_id, style="webhooks")
    if message.hop != "attempt" or not message.headers.get("webhook-signature"):
        raise ApiError(404, "not_an_attempt", "only delivery attempts carry a signature to check")
    event = get_object_or_404(Event, event_id=message.correlation_id, world=world())
    delivery = Delivery.objects.select_related("endpoint").filter(
        event=event, endpoint__isnull=False
    )
    delivery = next((d for d in delivery if d.endpoint.node == message.target), None)
    if delivery is None:
        raise ApiError(404, "not_found", "the endpoint of this attempt has been deleted")
    verified, detail = _verify(delivery.endpoint, event.body, message.headers)
    return {
        "message_id": message.id,
        "verified": verified,
        "detail": detail,
        "signatures": len(message.headers["webhook-signature"].split()),
        "curl": curl(endpoints.target_url(delivery.endpoint), event.body, message.headers),
    }


def _verify(endpoint, body, headers):
    """Recompute the signature with each secret in use (the timestamp's age is told apart)."""
    signed = datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=UTC)
    age = (datetime.now(UTC) - signed).total_seconds()
    stale = (
        " — but it is now older than 5 minutes, so a receiver would refuse it" if age > 300 else ""
    )
    passed = headers["webhook-signature"].split()
    for which, secret in zip(("current", "previous"), endpoints.secrets_in_use(endpoint)):
        expected = signing.sign(secret, headers["webhook-id"], signed, body)
        if any(hmac.compare_digest(expected, sig) for sig in passed):
            return True, f"✓ the signature verifies with the endpoint's {which} secret{stale}"
    return False, "✕ no signature matches the endpoint's secrets (it was rotated since)"


def curl(url, body, headers):
    parts = ["curl", "-i", "-X", "POST", shlex.quote(url)]
    for name in ("content-type", "webhook-id", "webhook-timestamp", "webhook-signature"):
        if name in headers:
            parts += ["-H", shlex.quote(f"{name}: {headers[name]}")]
    parts += ["--data-raw", shlex.quote(body)]
    return " ".join(parts)
