"""Shop's webhook endpoint, for real: POST /webhooks/receiver/.

It is called server to server, so it is CSRF-exempt and protected by the signature instead. It
verifies the signature with Shop's secret, refuses stale or future timestamps (±5 min), acts on
each webhook-id once (a retry or a resend is acknowledged, not processed again), and records its
verdict in the ledger. Its mode makes it misbehave on purpose for the lessons.

An async view: a "hanging" receiver sleeps without holding the server's one thread for sync views,
and when the sender gives up and disconnects, the server cancels it.
"""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from patterns.site import storytime
from patterns.site.deliveries import receives_webhooks
from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record

from . import catalog, ladder, shop, signing
from .models import Processed, Receiver

REFUSALS = {  # mode -> (status, what Shop says)
    "error": (500, "Shop's receiver crashed (it is set to answer 500)"),
    "gone": (410, "this endpoint is gone: stop sending here"),
    "offline": (503, "Shop is offline"),
}


def _hop(verdict, status, code, correlation_id, kind, reason="", uid=None, signature=""):
    record(style="webhooks", kind=kind or "unknown", hop=verdict, source="shop", target="shop",
           status=status, status_code=code, correlation_id=correlation_id or new_uid(), uid=uid or new_uid(),
           payload={"verdict": verdict, "reason": reason, "signature": signature}, contract="webhooks.verdict",
           error=reason if status == "error" else "")


def _kind(body):
    try:
        kind = json.loads(body).get("type")
    except (ValueError, AttributeError):
        return ""
    return kind if kind in catalog.TYPES else ""


@sync_to_async
def _misbehave(request, body):
    """The mode's answer, or None to behave. Recorded, so the class sees what Shop did."""
    row = shop.state()
    webhook_id, kind = request.headers.get("webhook-id", ""), _kind(body)
    if row.mode in REFUSALS:
        code, reason = REFUSALS[row.mode]
        _hop("refused", "error", code, webhook_id, kind, reason)
        return code, {"error": row.mode, "detail": reason}, {}
    if row.mode == "flaky":
        Receiver.objects.filter(pk=1).update(flaky_count=F("flaky_count") + 1)
        if Receiver.objects.get(pk=1).flaky_count % 3:
            _hop("refused", "error", 500, webhook_id, kind, "flaky: this one failed (two out of three do)")
            return 500, {"error": "flaky", "detail": "failed this time; try again"}, {}
    if row.mode == "busy":
        wait = max(1, round(storytime.to_real(30 * 60) + 0.5))
        _hop("refused", "error", 429, webhook_id, kind, f"busy: asked the sender to wait {wait} s (Retry-After)")
        return 429, {"error": "busy", "detail": "too many requests"}, {"Retry-After": str(wait)}
    if row.mode == "hang":
        _hop("stuck", "pending", None, webhook_id, kind, "stuck: will not answer before the sender's timeout")
        return "hang", None, {}
    return None


@sync_to_async
def _accept(request, body):
    """Verify, then process once. Returns (status, response body)."""
    secret, webhook_id, kind = shop.state().secret, request.headers.get("webhook-id", ""), _kind(body)
    signature = request.headers.get("webhook-signature", "")
    try:
        signing.verify(secret, body, request.headers)
    except signing.Rejected as exc:
        _hop("rejected", "error", 401, webhook_id, kind, str(exc), signature=signature[:120])
        return 401, {"error": "invalid_signature", "detail": str(exc)}
    try:
        event = json.loads(body)
        kind = event["type"]
    except (ValueError, TypeError, KeyError):
        _hop("rejected", "error", 400, webhook_id, kind, "signed, but the body is not a JSON event with a type")
        return 400, {"error": "bad_body", "detail": "the body must be a JSON object with a type"}
    try:
        with transaction.atomic():
            Processed.objects.create(webhook_id=webhook_id, type=str(kind)[:40])
            _hop("processed", "ok", 200, webhook_id, kind, f"signature ✓; acted on {kind} once",
                 uid=f"{webhook_id}-processed", signature="verified")
        return 200, {"ok": True, "processed": True}
    except IntegrityError:  # seen before: acknowledge, do nothing again
        _hop("duplicate", "ok", 200, webhook_id, kind, "signature ✓; already processed, so only acknowledged",
             signature="verified")
        return 200, {"ok": True, "duplicate": True}


@receives_webhooks
@csrf_exempt
@require_POST
async def receive(request):
    body = request.body
    refusal = await _misbehave(request, body)
    if refusal and refusal[0] == "hang":
        await asyncio.sleep(ladder.timeout() + 3)  # cancelled when the sender hangs up
        return JsonResponse({"error": "too_late", "detail": "answered after the sender gave up"}, status=503)
    if refusal:
        code, answer, headers = refusal
        response = JsonResponse(answer, status=code, headers=headers)
        response._has_been_logged = True  # on purpose, and in the ledger: not a server error to log
        return response
    code, answer = await _accept(request, body)
    return JsonResponse(answer, status=code)
