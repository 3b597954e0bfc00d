"""Shop's side of the arrangement: the receiver's mode, the secret Shop was given, and where
Shop's server can be reached right now. One receiver per world (roomctx.world())."""

import socket

from django.conf import settings
from django.db import IntegrityError, transaction

from patterns.ledger.recorder import record
from patterns.ledger.roomctx import world

from .models import Receiver

RECEIVER_PATH = "/webhooks/receiver/"
MODES = {
    "healthy": "Healthy: checks the signature and answers 200",
    "error": "Broken: answers 500 to everything",
    "hang": "Hangs: never answers in time (the sender times out)",
    "offline": "Offline: the server is off, connections are refused",
    "gone": "Gone: answers 410, “stop sending to this address”",
    "flaky": "Flaky: fails two requests out of three",
    "busy": "Busy: answers 429 with Retry-After, “slow down”",
}


def state():
    """This world's receiver, created with its built-in endpoint's secret the first time."""
    row = Receiver.objects.filter(world=world()).first()
    if row is None:
        from .endpoints import builtin  # creating the endpoint gives Shop its secret

        learn_secret(builtin().secret)  # again: the endpoint may be older than the receiver
        row = Receiver.objects.get(world=world())
    return row


def learn_secret(secret):
    """Shop is told its (new) secret, as an operator pastes it into Shop's configuration."""
    try:
        with transaction.atomic():
            Receiver.objects.update_or_create(world=world(), defaults={"secret": secret})
    except IntegrityError:  # created by someone else at the same moment
        Receiver.objects.filter(world=world()).update(secret=secret)


def set_mode(mode):
    """Returns (the receiver, whether Shop's endpoint was re-enabled): a receiver made healthy again
    also heals the endpoint that its failures (or its 410) disabled."""
    from .endpoints import heal_builtin

    with transaction.atomic():
        row = state()
        row.mode, row.flaky_count = mode, 0
        row.save(update_fields=["mode", "flaky_count", "changed_at"])
        healed = mode == "healthy" and heal_builtin()
        record(
            style="webhooks",
            kind="receiver.mode",
            hop="mode",
            source="shop",
            target="shop",
            payload={"mode": mode},
            contract="webhooks.mode",
        )
    return row, healed


_closed = None


def _closed_port():
    """A loopback port bound but never listening: connecting to it is refused, as to a switched-off
    server. Kept for the life of this process so nothing else can take it."""
    global _closed
    if _closed is None:
        _closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        _closed.bind(("127.0.0.1", 0))
    return _closed.getsockname()[1]


def address():
    """Where Shop's receiver answers now (like a DNS lookup): nowhere, when Shop is offline."""
    if state().mode == "offline":
        return f"http://127.0.0.1:{_closed_port()}{RECEIVER_PATH}"
    return settings.PLAYGROUND_BASE_URL + RECEIVER_PATH
