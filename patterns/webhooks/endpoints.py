"""Payments' list of subscribers: create, change, rotate secrets, disable and re-enable.

Every world (roomctx.world()) has its own list, its own built-in Shop endpoint and its own secrets:
`of_world()` is the only way in, so another world's endpoint is simply not there (404).
"""

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from patterns.ledger.roomctx import world
from patterns.site import storytime

from . import shop, signing, urlcheck
from .catalog import TYPES
from .models import Delivery, Endpoint

ROTATION_WINDOW_STORY = 24 * 3600  # both secrets sign for a story day after a rotation
MAX_ENDPOINTS = 50
CHANGEABLE = [
    "url",
    "event_types",
    "description",
    "disable_after",
    "disabled",
    "disabled_reason",
    "failure_run",
]


class Refused(ValueError):
    def __init__(self, field, detail, status=422):
        super().__init__(detail)
        self.field, self.detail, self.status = field, detail, status


BY_HAND = "disabled by hand"


def of_world():
    """This world's endpoints (deleted ones left out)."""
    return Endpoint.objects.filter(world=world())


def get(endpoint_id):
    """This world's endpoint with that id; another world's is not found, as if it did not exist."""
    return get_object_or_404(of_world(), id=endpoint_id)


def builtin():
    """This world's Shop webhook endpoint, subscribed to every event out of the box."""
    endpoint = of_world().filter(key="shop").first()
    if endpoint:
        return endpoint
    try:
        with transaction.atomic():
            endpoint = Endpoint.objects.create(
                world=world(),
                key="shop",
                description="Shop's webhook endpoint (built in, served by the playground)",
                secret=signing.new_secret(),
            )
            shop.learn_secret(endpoint.secret)
    except IntegrityError:  # another process created it first
        endpoint = of_world().get(key="shop")
    return endpoint


def heal_builtin():
    """Re-enable Shop's endpoint if its receiver's failures disabled it (a 410, or too many dead
    messages in a row), not if someone disabled it by hand. True if it was re-enabled."""
    from .sweeper import sweep

    healed = (
        of_world()
        .filter(key="shop", disabled=True)
        .exclude(disabled_reason=BY_HAND)
        .update(disabled=False, disabled_reason="", failure_run=0)
    )
    if healed:
        transaction.on_commit(sweep)  # its paused deliveries go out now
    return bool(healed)


def clean_types(types):
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise Refused(
            "event_types", f"unknown event type {unknown[0]!r}; known: {', '.join(TYPES)}"
        )
    return sorted(set(types))


def create(url, description="", event_types=(), disable_after=3):
    try:
        url = urlcheck.check(url).url  # stored normalised: what the sender will use
    except urlcheck.BadUrl as exc:
        raise Refused("url", str(exc)) from None
    types = clean_types(event_types)
    if of_world().count() >= MAX_ENDPOINTS:
        raise Refused("url", f"there are already {MAX_ENDPOINTS} endpoints; delete one first", 409)
    return Endpoint.objects.create(
        world=world(),
        url=url,
        description=description,
        event_types=types,
        secret=signing.new_secret(),
        disable_after=disable_after,
    )


def update(endpoint, changes):
    if "url" in changes:
        if endpoint.builtin:
            raise Refused("url", "the built-in endpoint's address is the playground's own", 409)
        try:
            endpoint.url = urlcheck.check(changes["url"]).url
        except urlcheck.BadUrl as exc:
            raise Refused("url", str(exc)) from None
    if "event_types" in changes:
        endpoint.event_types = clean_types(changes["event_types"])
    for field in ("description", "disable_after"):
        if field in changes:
            setattr(endpoint, field, changes[field])
    if "disabled" in changes:
        endpoint.disabled = changes["disabled"]
        endpoint.disabled_reason = BY_HAND if endpoint.disabled else ""
        if not endpoint.disabled:
            endpoint.failure_run = 0  # re-enabled: a fresh start
    endpoint.save(
        update_fields=CHANGEABLE
    )  # never deleted_at: a PATCH racing a DELETE brings nothing back
    return endpoint


def rotate(endpoint):
    """A new secret; the old one keeps signing too until the window ends (Standard Webhooks)."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + storytime.real_delta(ROTATION_WINDOW_STORY)
    endpoint.secret = signing.new_secret()
    with transaction.atomic():
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        if endpoint.builtin:
            shop.learn_secret(endpoint.secret)
    return endpoint


def secrets_in_use(endpoint, now=None):
    now = now or timezone.now()
    current = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and endpoint.previous_secret_until > now
    ):
        current.append(endpoint.previous_secret)
    return current


def target_url(endpoint):
    return shop.address() if endpoint.builtin else endpoint.url


DELETED = "not sent: its endpoint was deleted"


def delete(endpoint):
    """Hidden, disabled, and what was waiting to go to it cancelled. The row stays: a delivery that
    an event fired at this moment writes still has its endpoint (no foreign-key race), and the
    deliveries already made keep their history."""
    Endpoint.objects.filter(id=endpoint.id).update(
        deleted_at=timezone.now(), disabled=True, disabled_reason="deleted"
    )
    # A statement of its own, after the one above has committed: a settling delivery locks its
    # row and then its endpoint's, so one transaction taking both the other way round could deadlock.
    # A delivery written by an event fired meanwhile is cancelled when a worker tries to claim it.
    cancel_deleted(Delivery.objects.filter(endpoint_id=endpoint.id))


def cancel_deleted(deliveries):
    """Deliveries still waiting for an endpoint that was deleted: failed, with the reason.

    Rows a worker's claim holds are skipped rather than waited for: two multi-row updates taking
    row locks in different orders deadlock on PostgreSQL. A skipped row is cancelled by its claim,
    or by the sweeper's next claim of it."""
    with transaction.atomic():
        ids = list(
            deliveries.filter(state=Delivery.State.PENDING, endpoint__deleted_at__isnull=False)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("id")
            .values_list("id", flat=True)
        )
        return Delivery.objects.filter(id__in=ids, state=Delivery.State.PENDING).update(
            state=Delivery.State.FAILED, last_error=DELETED, next_attempt_at=None
        )


def disable(endpoint_id, reason):
    Endpoint.objects.filter(id=endpoint_id).update(disabled=True, disabled_reason=reason[:200])


def rotation_ends_in(endpoint):
    if endpoint.previous_secret_until and endpoint.previous_secret_until > timezone.now():
        return endpoint.previous_secret_until
    return None


def window_description():
    return storytime.describe(ROTATION_WINDOW_STORY)
