"""Shop's webhook endpoint, for real: POST /webhooks/receiver/.

It is called server to server, so it is CSRF-exempt and protected by the signature instead. It
answers as the Shop of the request's world: the one the room guard took from the sender's signed
world header, else the shared demo's (a stranger's request never lands in a room). It
verifies the signature with that world's secret, refuses stale or future timestamps (±5 min), acts on
each webhook-id once (a retry or a resend is acknowledged, not processed again), and records its
verdict in the ledger. Its mode makes it misbehave on purpose for the lessons.

An async view: a "hanging" receiver sleeps without holding the server's one thread for sync views,
and when the sender gives up and disconnects, the server cancels it.
"""

import asyncio
import hashlib
import re

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from patterns.ledger.errors import ApiError
from patterns.ledger.models import Message, new_uid
from patterns.ledger.recorder import record
from patterns.ledger.roomctx import world
from patterns.site import bodies, storytime
from patterns.site.deliveries import receives_webhooks

from . import catalog, ladder, shop, signing
from .models import Processed, Receiver

PROCESSED = "-processed"  # the processed hop's uid ends so: one per webhook-id and world, ever
# A webhook-id is stored in the ledger (correlation id, and uid with PROCESSED): it must fit there.
MAX_WEBHOOK_ID = Message._meta.get_field("uid").max_length - len(PROCESSED)
WEBHOOK_ID = re.compile(
    rf"^[\x21-\x7e]{{1,{MAX_WEBHOOK_ID}}}$"
)  # visible ASCII, as every sender's ids are
REFUSALS = {  # mode -> (status, what Shop says)
    "error": (500, "Shop's receiver crashed (it is set to answer 500)"),
    "gone": (410, "this endpoint is gone: stop sending here"),
    "offline": (503, "Shop is offline"),
}


def processed_uid(webhook_id):
    """The processed hop's uid: the webhook-id in the shared demo; in a room, a digest of both
    (the same id processed in two worlds is two hops, and a room's code would not fit beside it)."""
    if not world():
        return webhook_id + PROCESSED
    return hashlib.sha256(f"{world()}\n{webhook_id}".encode()).hexdigest()[:40] + PROCESSED


def _id_of(request):
    """The webhook-id, or "" when it is missing or could not be stored (the verdict says so)."""
    webhook_id = request.headers.get("webhook-id", "")
    return webhook_id if WEBHOOK_ID.match(webhook_id) else ""


def _hop(verdict, status, code, correlation_id, kind, reason="", uid=None, signature=""):
    record(
        style="webhooks",
        kind=kind or "unknown",
        hop=verdict,
        source="shop",
        target="shop",
        status=status,
        status_code=code,
        correlation_id=correlation_id or new_uid(),
        uid=uid or new_uid(),
        payload={"verdict": verdict, "reason": reason, "signature": signature},
        contract="webhooks.verdict",
        error=reason if status == "error" else "",
    )


def _kind(body):
    try:
        event = bodies.loads(body)
    except ApiError:
        return ""
    kind = event.get("type") if isinstance(event, dict) else None
    return kind if kind in catalog.TYPES else ""


@sync_to_async
def _misbehave(request, body):
    """The mode's answer, or None to behave. Recorded, so the class sees what Shop did."""
    row = shop.state()
    webhook_id, kind = _id_of(request), _kind(body)
    if row.mode in REFUSALS:
        code, reason = REFUSALS[row.mode]
        _hop("refused", "error", code, webhook_id, kind, reason)
        return code, {"error": row.mode, "detail": reason}, {}
    if row.mode == "flaky":
        Receiver.objects.filter(pk=row.pk).update(flaky_count=F("flaky_count") + 1)
        if Receiver.objects.get(pk=row.pk).flaky_count % 3:
            _hop(
                "refused",
                "error",
                500,
                webhook_id,
                kind,
                "flaky: this one failed (two out of three do)",
            )
            return 500, {"error": "flaky", "detail": "failed this time; try again"}, {}
    if row.mode == "busy":
        wait = max(1, round(storytime.to_real(30 * 60) + 0.5))
        _hop(
            "refused",
            "error",
            429,
            webhook_id,
            kind,
            f"busy: asked the sender to wait {wait} s (Retry-After)",
        )
        return 429, {"error": "busy", "detail": "too many requests"}, {"Retry-After": str(wait)}
    if row.mode == "hang":
        _hop(
            "stuck",
            "pending",
            None,
            webhook_id,
            kind,
            "stuck: will not answer before the sender's timeout",
        )
        return "hang", None, {}
    return None


@sync_to_async
def _accept(request, body):
    """Verify, then process once. Returns (status, response body)."""
    secret, webhook_id, kind = shop.state().secret, _id_of(request), _kind(body)
    signature = request.headers.get("webhook-signature", "")
    try:
        signing.verify(secret, body, request.headers)
    except signing.Rejected as exc:
        _hop("rejected", "error", 401, webhook_id, kind, str(exc), signature=signature[:120])
        return 401, {"error": "invalid_signature", "detail": str(exc)}
    if not webhook_id:
        detail = f"webhook-id must be 1 to {MAX_WEBHOOK_ID} visible ASCII characters"
        _hop("rejected", "error", 400, "", kind, f"signed, but {detail}")
        return 400, {"error": "invalid_webhook_id", "detail": detail, "field": "webhook-id"}
    try:
        event = bodies.loads(body)
        kind = str(event["type"])[:40]
    except (ApiError, TypeError, KeyError) as exc:
        why = (
            exc.detail
            if isinstance(exc, ApiError)
            else "the body must be a JSON object with a type"
        )
        _hop("rejected", "error", 400, webhook_id, kind, f"signed, but {why}")
        return 400, {"error": "bad_body", "detail": why}
    try:
        with transaction.atomic():
            Processed.objects.create(world=world(), webhook_id=webhook_id, type=kind)
            _hop(
                "processed",
                "ok",
                200,
                webhook_id,
                kind,
                f"signature ✓; acted on {kind} once",
                uid=processed_uid(webhook_id),
                signature="verified",
            )
        return 200, {"ok": True, "processed": True}
    except IntegrityError:  # seen before: acknowledge, do nothing again
        _hop(
            "duplicate",
            "ok",
            200,
            webhook_id,
            kind,
            "signature ✓; already processed, so only acknowledged",
            signature="verified",
        )
        return 200, {"ok": True, "duplicate": True}


@receives_webhooks
@csrf_exempt
@require_POST
async def receive(request):
    body = request.body
    refusal = await _misbehave(request, body)
    if refusal and refusal[0] == "hang":
        await asyncio.sleep(ladder.timeout() + 3)  # cancelled when the sender hangs up
        return JsonResponse(
            {"error": "too_late", "detail": "answered after the sender gave up"}, status=503
        )
    if refusal:
        code, answer, headers = refusal
        response = JsonResponse(answer, status=code, headers=headers)
        response._has_been_logged = True  # on purpose, and in the ledger: not a server error to log
        return response
    code, answer = await _accept(request, body)
    return JsonResponse(answer, status=code)
