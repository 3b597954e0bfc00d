"""Push vs poll: Shop's poller asks Payments "anything new?" every N story seconds, over real HTTP
(GET /api/webhooks/events), beside the webhooks that Payments pushes to Shop for the same events.

Each world has its own poller (roomctx.world()), which asks for its world's events only (the world
travels signed, as between any of the playground's processes). It runs only when started from
the page, and stops by itself after a story day, so a forgotten
tab does not fill the ledger. Counters: requests made, requests that found nothing, and how stale
each event was when Shop learnt of it (on average), for both ways.
"""

from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from patterns.ledger.models import new_uid
from patterns.ledger.recorder import record_many
from patterns.ledger.roomctx import in_room, world, world_header
from patterns.site import storytime

from .models import Attempt, Delivery, Event, Poller

RUN_FOR_STORY = 24 * 3600
INTERVALS = [15 * 60, 3600, 4 * 3600]  # story seconds the page offers
POLL_HOLD_S = 30  # a poll's claim on its world's poller; a poll that died frees it after this


def mine():
    return Poller.objects.filter(world=world())


def state():
    return Poller.objects.get_or_create(world=world())[0]


def start(interval):
    now = timezone.now()
    cursor = Event.objects.filter(world=world()).aggregate(m=Max("id"))["m"] or 0
    Poller.objects.update_or_create(
        world=world(),
        defaults=dict(
            running=True,
            interval=interval,
            started_at=now,
            stops_at=now + storytime.real_delta(RUN_FOR_STORY),
            next_poll_at=now,
            cursor=cursor,
            requests=0,
            empty=0,
            found=0,
            staleness_ms=0,
        ),
    )
    return state()


def stop():
    mine().update(running=False, next_poll_at=None)
    return state()


def tick(now=None):
    """Every world's poller that is due polls, in its world. Returns how many polled."""
    now = now or timezone.now()
    due = Poller.objects.filter(running=True, next_poll_at__lte=now).values_list("world", flat=True)
    polled = 0
    for code in due:
        with in_room(code):
            polled += _tick_one(now)
    return polled


def _tick_one(now):
    """Poll if this world's poll is due. One conditional UPDATE claims the poll, and the claim holds
    until its answer is in: a poll slower than the interval (a busy machine, polls every 0.6 s real)
    would otherwise overlap the next, both asking from the same cursor and counting its events
    twice. The next poll is then due an interval after this one was."""
    row = mine().filter(running=True).first()
    if row is None or row.next_poll_at is None or row.next_poll_at > now:
        return False
    if row.stops_at and row.stops_at <= now:
        stop()
        return False
    held_until = timezone.now() + timedelta(seconds=POLL_HOLD_S)
    if not mine().filter(next_poll_at=row.next_poll_at).update(next_poll_at=held_until):
        return False
    try:
        poll()
    finally:
        mine().filter(running=True, next_poll_at=held_until).update(
            next_poll_at=now + storytime.real_delta(row.interval)
        )
    return True


def poll():
    """One real GET to Payments' events API, and what it found, in the ledger and the counters."""
    row = state()
    started = timezone.now()
    url = f"{settings.PLAYGROUND_BASE_URL}/api/webhooks/events"
    try:
        response = httpx.get(
            url,
            params={"source": "payments", "after": row.cursor},
            headers=world_header(),
            timeout=5,
            trust_env=False,
        )
        events = response.json()["events"] if response.status_code == 200 else []
    except (httpx.HTTPError, ValueError, KeyError):
        events = []
    now = timezone.now()
    stale = sum(
        (now - datetime.fromisoformat(e["created_at"])).total_seconds() * 1000 for e in events
    )
    cursor = max([e["seq"] for e in events], default=row.cursor)
    with transaction.atomic():
        mine().update(
            requests=F("requests") + 1,
            empty=F("empty") + (0 if events else 1),
            found=F("found") + len(events),
            staleness_ms=F("staleness_ms") + stale,
            cursor=cursor,
        )
        _record(row.cursor, cursor, events, started)
    return events


def _record(after, cursor, events, started):
    exchange = "poll-" + new_uid()
    common = {"style": "webhooks", "kind": "poll", "correlation_id": exchange}
    found = [e["event_id"] for e in events]
    record_many(
        [
            {
                **common,
                "uid": f"{exchange}-ask",
                "hop": "poll",
                "source": "poller",
                "target": "payments",
                "payload": {"found": 0, "cursor": after, "events": []},
                "contract": "webhooks.poll",
            },
            {
                **common,
                "uid": f"{exchange}-reply",
                "hop": "poll-answer",
                "source": "payments",
                "target": "poller",
                "status": "ok",
                "sent_at": started,
                "payload": {"found": len(found), "cursor": cursor, "events": found},
                "contract": "webhooks.poll",
            },
        ]
    )


def _push_numbers(since):
    deliveries = Delivery.objects.filter(
        endpoint__key="shop",
        event__world=world(),
        event__source="payments",
        event__created_at__gte=since,
    )
    delivered = list(
        deliveries.filter(state=Delivery.State.DELIVERED).values_list(
            "delivered_at", "event__created_at"
        )[:2000]
    )
    stale = [(d - c).total_seconds() * 1000 for d, c in delivered]
    return {
        "requests": Attempt.objects.filter(delivery__in=deliveries).count(),
        "empty": 0,
        "found": len(delivered),
        "staleness_ms": sum(stale) / len(stale) if stale else None,
    }


def numbers():
    """The counters for both ways, over the events since the poller was started."""
    row = state()
    if row.started_at is None:
        return {"running": False, "interval": row.interval, "poll": None, "push": None}
    poll = {
        "requests": row.requests,
        "empty": row.empty,
        "found": row.found,
        "staleness_ms": row.staleness_ms / row.found if row.found else None,
    }
    push = _push_numbers(row.started_at)
    for side in (poll, push):
        ms = side["staleness_ms"]
        side["staleness"] = (
            storytime.describe(storytime.to_story(ms / 1000)) if ms is not None else "—"
        )
    return {
        "running": row.running,
        "interval": row.interval,
        "interval_text": storytime.describe(row.interval),
        "started_at": row.started_at,
        "stops_at": row.stops_at,
        "poll": poll,
        "push": push,
    }
