"""Health: is each part of the playground up, and since when — so an instructor sees at once why
a demo is stuck. Each check is short (1–2 s at most) and never raises."""

import asyncio
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import redis
from asgiref.sync import async_to_sync
from channels.layers import DEFAULT_CHANNEL_LAYER
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu import Connection

from patterns.feed import heartbeat
from patterns.ledger.models import HealthState

STALE_AFTER = 3 * heartbeat.INTERVAL  # a heartbeat older than this: the process is gone
EXPLAIN = {  # name: (label, what it does)
    "database": ("Ledger database", "keeps every message"),
    "shop_database": ("Shop database", "Shop's own customers and orders"),
    "redis": ("Redis", "shared state between the playground's processes"),
    "broker": ("Broker", "carries background jobs to the workers"),
    "channel_layer": ("Channel layer", "rings open pages when new messages arrive"),
    "workers": ("Workers", "run background jobs"),
    "beat": ("Beat", "starts scheduled jobs"),
}


def _database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return f"{connections[alias].vendor} answers"


def _redis():
    heartbeat.client().ping()
    return "answers"


def _broker():
    # The broker's own transport options: their socket timeout is what stops a frozen Redis from
    # holding this check (and the health page) forever.
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=2,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=2)
        return f"{conn.transport_cls} answers"


def _channel_layer():
    async def round_trip():
        # A layer of its own: channels_redis refuses a second event loop receiving on the
        # process's shared layer (daphne's loop is receiving for every open page).
        layer = _short_layer()
        try:
            channel = await layer.new_channel()
            await layer.send(channel, {"type": "health.check"})
            return await layer.receive(channel)
        finally:
            await layer.close_pools()

    async_to_sync(asyncio.wait_for)(round_trip(), 2)
    return "a message went out and came back"


def _short_layer():
    """The channel layer as configured, but reading with a short timeout: the message it waits for
    is already sent, and a frozen Redis must not hold the check (its closing included)."""
    config = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER]
    hosts = [
        {**host, "socket_timeout": 2 * settings.REDIS_TIMEOUT_S}
        for host in config["CONFIG"]["hosts"]
    ]
    return import_string(config["BACKEND"])(**{**config["CONFIG"], "hosts": hosts})


def _heartbeats():
    r = heartbeat.client()
    now = time.time()
    try:
        workers = {
            name.decode(): now - float(at) for name, at in r.hgetall(heartbeat.WORKERS_KEY).items()
        }
        beat = r.get(heartbeat.BEAT_KEY)
    except redis.RedisError:
        raise RuntimeError("unknown while Redis is down (heartbeats are kept there)") from None
    return {name: age for name, age in workers.items() if age < STALE_AFTER}, (
        now - float(beat)
    ) if beat else None


def _workers():
    alive, _ = _heartbeats()
    if not alive:
        raise RuntimeError(
            "no worker has sent a heartbeat lately: background jobs wait in the queue"
        )
    return f"{len(alive)} running, last heartbeat {min(alive.values()):.0f} s ago"


def _beat():
    _, age = _heartbeats()
    if age is None or age > STALE_AFTER:
        raise RuntimeError("no heartbeat from beat lately: scheduled jobs do not start")
    return f"last heartbeat {age:.0f} s ago"


CHECKS = {
    "database": lambda: _database("default"),
    "shop_database": lambda: _database("shop"),
    "redis": _redis,
    "broker": _broker,
    "channel_layer": _channel_layer,
    "workers": _workers,
    "beat": _beat,
}


def _remember(name, up):
    """Since when the component has been in this state (kept in the ledger's database)."""
    now = timezone.now()
    try:
        state, created = HealthState.objects.get_or_create(
            component=name, defaults={"up": up, "since": now}
        )
        if not created and state.up != up:
            state.up, state.since = up, now
            state.save(update_fields=["up", "since"])
        return state.since
    except Exception:  # the database itself is down: say "since now"
        return now


def _plain(exc):
    """The first line of an error, with "Error 111 connecting to host:port. …" said in words."""
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    failed = re.match(r"Error (\d+) connecting to (?:unix socket: )?(\S+?)\. (.*?)\.?$", text)
    if not failed:
        return text[:200]
    number, where, reason = failed.groups()
    reason = "connection refused" if number == "111" else reason.lower()
    return f"nothing answers at {where} ({reason})"[:200]


def _probe(probe):
    try:
        return True, probe()
    except Exception as exc:
        return False, _plain(exc)


_cache = {"at": 0.0, "result": None}
_lock = threading.Lock()
CACHE_SECONDS = 3  # a room of pages asking every few seconds costs one round of checks


def check():
    with _lock:
        if _cache["result"] and time.monotonic() - _cache["at"] < CACHE_SECONDS:
            return _cache["result"]
        # Network checks run side by side (each gives up after ~2 s); database checks stay in this
        # thread, which owns the database connections.
        network = {k: v for k, v in CHECKS.items() if k not in ("database", "shop_database")}
        with ThreadPoolExecutor(len(network)) as pool:
            futures = {name: pool.submit(_probe, probe) for name, probe in network.items()}
            results = {name: _probe(CHECKS[name]) for name in ("database", "shop_database")}
            results |= {name: future.result() for name, future in futures.items()}
        now = timezone.now()
        components = []
        for name in CHECKS:
            up, detail = results[name]
            since = _remember(name, up)
            label, what = EXPLAIN[name]
            components.append(
                {
                    "name": name,
                    "label": label,
                    "what": what,
                    "up": up,
                    "detail": detail,
                    "since": since.isoformat(),
                    "for_seconds": round((now - since).total_seconds()),
                }
            )
        result = {
            "status": "ok" if all(c["up"] for c in components) else "degraded",
            "checked_at": now.isoformat(),
            "components": components,
        }
        _cache.update(at=time.monotonic(), result=result)
        return result
