"""Signing and verifying with the `standardwebhooks` package (no hand-written HMAC).

Headers: webhook-id (the event id, the same on every retry), webhook-timestamp (seconds, new on
every attempt) and webhook-signature ("v1,<base64 HMAC-SHA256 of id.timestamp.body>", several
separated by spaces while a secret is being rotated).
"""

import base64
import binascii
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret, webhook_id, when, body):
    return Webhook(secret).sign(webhook_id, when, body)


def headers(webhook_id, when, body, secrets_in_use):
    """The Standard Webhooks headers, one signature per secret in use (two during a rotation)."""
    signature = " ".join(sign(secret, webhook_id, when, body) for secret in secrets_in_use)
    return {
        "content-type": "application/json",
        "user-agent": "Playground-Webhooks/1.0",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
    }


class Rejected(Exception):
    """Why a request is not a genuine, fresh webhook from the holder of the secret."""


def verify(secret, body: bytes, request_headers):
    """Check the signature and the timestamp (±5 min); raise Rejected in plain words if not."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise Rejected(
            "the body is not UTF-8 text, so it cannot be the JSON that was signed"
        ) from None
    present = {k.lower(): v for k, v in request_headers.items() if k.lower() in HEADERS}
    missing = [name for name in HEADERS if not present.get(name)]
    if missing:
        raise Rejected(f"missing header {', '.join(missing)}: unsigned requests are refused")
    # Checked here, not left to the library: standardwebhooks 1.3 reports "v1abc" (no comma) as a
    # signature that does not match, which hides the real mistake from the learner.
    if any("," not in part for part in present["webhook-signature"].split()):
        raise Rejected("the signature header is malformed (expected v1,<base64>)")
    try:
        Webhook(secret).verify(text, present, json_parse=False)
    except WebhookVerificationError as exc:
        raise Rejected(_EXPLAIN.get(str(exc), str(exc))) from None
    except (ValueError, binascii.Error):  # "v1abc" (no comma) or a signature that is not base64
        raise Rejected("the signature header is malformed (expected v1,<base64>)") from None


_EXPLAIN = {
    "Message timestamp too old": "the timestamp is more than 5 minutes old: a replayed (captured) request",
    "Message timestamp too new": "the timestamp is more than 5 minutes in the future",
    "No matching signature found": "the signature does not match: the body was changed or signed with another secret",
    "Invalid Signature Headers": "the timestamp header is not a number",
}


def utc_now():
    return datetime.now(UTC)
