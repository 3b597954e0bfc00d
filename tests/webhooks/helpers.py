"""Small helpers for the webhook tests: signed requests as a sender makes them, waiting on rows."""

import json
from datetime import timedelta

from django.utils import timezone

from patterns.webhooks import catalog, shop, signing
from patterns.webhooks.models import Attempt, Delivery
from tests.helpers import eventually


def signed(
    secret=None, when=None, webhook_id="evt_test0001", type_name="payment.completed", data=None
):
    """(body bytes, headers) of a genuine delivery signed with Shop's secret."""
    event_type = catalog.TYPES[type_name]
    when = when or timezone.now()
    body = catalog.encode(event_type, data or event_type.sample, when)
    headers = signing.headers(webhook_id, when, body, [secret or shop.state().secret])
    return body.encode(), headers


def wait_until_state(delivery_id, state, timeout=30):
    return eventually(
        lambda: Delivery.objects.filter(id=delivery_id, state=state).first(),
        timeout=timeout,
        message=f"delivery {delivery_id} to be {state}",
    )


def wait_for_attempts(delivery_id, n, timeout=30):
    """Until attempt n of the delivery has finished (its outcome is settled)."""
    return eventually(
        lambda: Attempt.objects.filter(delivery_id=delivery_id, number=n).first(),
        timeout=timeout,
        message=f"attempt {n} of delivery {delivery_id} to finish",
    )


def skip_the_wait(delivery_id):
    """Fast-forward the story: the next attempt is due now (what 'Resend' does to a pending one)."""
    Delivery.objects.filter(id=delivery_id, state="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def body_json(request):
    return json.loads(request["body"])
