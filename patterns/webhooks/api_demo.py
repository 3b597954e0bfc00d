"""The lesson's levers, under /api/webhooks/: Shop's receiver mode, the attack demos, the
push-vs-poll comparison and the inspector's signature check."""

from typing import Literal

from ninja import Router, Status

from patterns.ledger.errors import ErrorOut

from . import attacks, poller, schemas, shop

router = Router(tags=["webhooks"])


@router.get("/receiver", response=schemas.ReceiverOut)
def get_receiver(request):
    return {"mode": shop.state().mode, "modes": shop.MODES}


@router.put("/receiver", response={200: schemas.ReceiverOut, 422: ErrorOut})
def set_receiver(request, body: schemas.ReceiverIn):
    """Make Shop's receiver behave: healthy, error (500), hang, offline, gone (410), flaky, busy (429).
    Healthy again also re-enables Shop's endpoint if the receiver's failures had disabled it."""
    row, healed = shop.set_mode(body.mode)
    detail = "Shop's endpoint re-enabled: its waiting deliveries go out now." if healed else ""
    return {"mode": row.mode, "modes": shop.MODES, "detail": detail}


@router.post("/attacks/{kind}", response={202: schemas.Accepted, 400: ErrorOut})
def attack(request, kind: Literal["forge", "replay"]):
    """Send Shop a forged delivery (wrong secret) or replay a captured one (stale timestamp)."""
    from .tasks import attack as attack_task

    attack_task.delay(kind)
    return Status(202, {"detail": f"the attacker sends {attacks.KINDS[kind]}"})


@router.get("/compare", response=schemas.CompareOut)
def compare(request):
    """Push vs poll: requests, empty requests and average staleness for both, since the start."""
    return poller.numbers()


@router.post("/compare/start", response={200: schemas.CompareOut, 422: ErrorOut})
def compare_start(request, body: schemas.CompareIn):
    poller.start(body.interval)
    return poller.numbers()


@router.post("/compare/stop", response=schemas.CompareOut)
def compare_stop(request):
    poller.stop()
    return poller.numbers()


@router.get("/check/{message_id}", response={200: schemas.CheckOut, 404: ErrorOut})
def check(request, message_id: int):
    """For a delivery attempt in the ledger: does its signature verify, and the same request as curl."""
    from .inspect import check_attempt

    return check_attempt(message_id)
