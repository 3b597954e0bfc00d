"""A question's life: asked → round 1 open → locked → (round 2 open → locked) → fired / revealed.

Every change is a ledger message (style "questions") in the question's world. A vote's message
says that someone voted, not for what: the votes stay hidden until the reveal, whose message lists
them all, so a lesson can be read back without a student seeing the others' votes too early.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from patterns.ledger import query
from patterns.ledger.errors import ApiError
from patterns.ledger.recorder import record
from patterns.ledger.roomctx import in_room, key_held
from patterns.site import triggers
from patterns.site.predictions import Run, Step

from . import catalogue
from .models import Asked, Seen, Vote

STYLE = "questions"
SEEN_FOR = timedelta(seconds=45)  # a page that checked in this recently counts as connected


def pseudonym(voter):
    return hashlib.sha256(voter.encode()).hexdigest()[:10]


def _record(asked, kind, payload, contract, **fields):
    with in_room(asked.world):
        return record(
            style=STYLE,
            kind=kind,
            hop=kind.rsplit(".", 1)[-1],
            source=fields.pop("source", "instructor"),
            target="class",
            room=asked.world,
            correlation_id=f"question-{asked.pk}",
            payload=payload,
            contract=contract,
            **fields,
        )


def _stage(asked, action, **extra):
    payload = {
        "question": asked.pk,
        "source": asked.source,
        "action": action,
        "round": asked.round,
        "text": asked.spec["text"],
        **extra,
    }
    _record(asked, f"question.{action}", payload, "questions.stage")


def ask(world, spec, source):
    asked = Asked.objects.create(world=world, spec=spec, source=source)
    _stage(asked, "asked")
    return asked


def _conflict(detail):
    return ApiError(409, "wrong_moment", detail)


def _locked_for_update(asked):
    return Asked.objects.select_for_update().get(pk=asked.pk)


@transaction.atomic
def open_round(asked):
    asked = _locked_for_update(asked)
    if asked.state == "ready":
        asked.round = 1
    elif asked.state == "locked" and asked.round == 1 and not asked.revealed and not asked.fired_at:
        asked.round = 2  # "discuss with your neighbour", then vote again
    else:
        raise _conflict(
            "a question opens once for round 1 and once more for round 2, before the reveal and "
            "before it is fired"
        )
    asked.state = "open"
    asked.save(update_fields=["state", "round"])
    _stage(asked, "opened")
    return asked


@transaction.atomic
def lock(asked):
    asked = _locked_for_update(asked)
    if asked.state != "open":
        raise _conflict("only an open round can be locked")
    asked.state = "locked"
    asked.save(update_fields=["state"])
    _stage(asked, "locked")
    return asked


@transaction.atomic
def reveal(asked):
    asked = _locked_for_update(asked)
    if asked.state != "locked" or asked.revealed:
        raise _conflict("lock the round before revealing the votes (a question is revealed once)")
    asked.revealed = True
    asked.save(update_fields=["revealed"])
    votes = [
        {"round": v.round, "voter": pseudonym(v.voter), "option": v.option}
        for v in asked.votes.order_by("round", "id")
    ]
    _stage(asked, "revealed", counts=[r["counts"] for r in rounds(asked)], votes=votes)
    return asked


def vote(asked, voter, option):
    """The voter's choice for the open round (a second vote replaces the first)."""
    if not 0 <= option < len(asked.spec["options"]):
        raise ApiError(
            422,
            "unknown_option",
            f"option must be 0 to {len(asked.spec['options']) - 1} (the options' order)",
            "option",
        )
    with transaction.atomic():
        current = _locked_for_update(asked)
        if current.state != "open":
            raise _conflict("voting is closed: this round is locked (or not open yet)")
        try:
            with transaction.atomic():
                Vote.objects.create(asked=current, round=current.round, voter=voter, option=option)
            changed = False
        except IntegrityError:
            Vote.objects.filter(asked=current, round=current.round, voter=voter).update(
                option=option, changed_at=timezone.now()
            )
            changed = True
        payload = {
            "question": current.pk,
            "round": current.round,
            "voter": pseudonym(voter),
            "changed": changed,
        }
        _record(current, "question.vote", payload, "questions.vote", source="student")
    return current


def seen(world, voter):
    Seen.objects.update_or_create(world=world, voter=voter, defaults={"seen_at": timezone.now()})


def connected(world):
    return Seen.objects.filter(world=world, seen_at__gte=timezone.now() - SEEN_FOR).count()


def rounds(asked):
    options = len(asked.spec["options"])
    found = []
    for n in range(1, asked.round + 1):
        counts = [0] * options
        for v in asked.votes.filter(round=n):
            counts[v.option] += 1
        found.append({"round": n, "counts": counts, "voters": sum(counts)})
    return found


# Firing ----------------------------------------------------------------------------------------


def _steps(asked):
    built_in = catalogue.questions().get(asked.source)
    if built_in is not None:
        return built_in, built_in.steps
    return None, [
        Step(s["style"], s["kind"], s.get("data") or {}, s.get("count", 1))
        for s in asked.spec["steps"]
    ]


def fire(asked):
    """Run the question's action for real in its world (once), then record what was fired."""
    with transaction.atomic():
        current = _locked_for_update(asked)
        if current.state != "locked" or current.fired_at:
            raise _conflict("fire after a round is locked, and only once")
        current.fired_at = timezone.now()
        current.fired_after = query.last_id()
        current.save(update_fields=["fired_at", "fired_after"])
    built_in, steps = _steps(current)
    results, failure = [], ""
    token = key_held.set(True)  # the instructor proved the key: the action runs as theirs
    try:
        with in_room(current.world):
            results, failure = _run(built_in, steps)
    finally:
        key_held.reset(token)
    current.fire_results = results
    current.save(update_fields=["fire_results"])
    fired = [catalogue.step_dict(s) for s in steps]
    _stage(current, "fired", steps=fired)
    if failure:
        raise ApiError(422, "action_failed", f"the action could not be fired: {failure}", "steps")
    return current


def _run(built_in, steps):
    results = []
    try:
        if built_in and built_in.prepare:
            built_in.prepare()
        for step in steps:
            trigger = triggers.get(step.style, step.kind)
            if trigger is None:
                raise LookupError(f"there is no trigger {step.style} {step.kind}")
            for _ in range(step.count):
                results.append(_plain(trigger.fire(step.data_now())))
    except (
        Exception
    ) as exc:  # a trigger refusing its data: the question says why, nothing more runs
        return results, str(exc)[:300] or type(exc).__name__
    finally:
        if built_in and built_in.finish:
            built_in.finish()
    return results, ""


def _plain(result):
    """What a trigger returned, kept only as far as JSON can hold it."""
    if not isinstance(result, dict):
        return {}
    return {k: v for k, v in result.items() if isinstance(v, str | int | float | bool | type(None))}


def measure(asked):
    """{"value", "detail", "correct", "settled"} once fired; recorded once, when it settles."""
    if not asked.fired_at:
        return None
    if asked.measured is not None:
        return _outcome(asked, asked.measured, settled=True)
    measurement = catalogue.measurements().get(asked.spec["measurement"])
    run = Run(asked.world, asked.fired_after or 0, asked.fired_at, tuple(asked.fire_results))
    found = measurement.read(run)
    measured = {"value": found.value, "detail": found.detail}
    if found.value is None:
        return _outcome(asked, measured, settled=False)
    if Asked.objects.filter(pk=asked.pk, measured__isnull=True).update(measured=measured):
        asked.measured = measured
        out = _outcome(asked, measured, settled=True)
        payload = {
            "question": asked.pk,
            "measurement": measurement.key,
            "value": found.value,
            "detail": found.detail,
            "correct": out["correct"],
        }
        _record(asked, "question.outcome", payload, "questions.outcome", source="ledger")
        return out
    asked.refresh_from_db(fields=["measured"])
    return _outcome(asked, asked.measured, settled=True)


def _outcome(asked, measured, settled):
    options = asked.spec["options"]
    correct = catalogue.correct_option(options, measured["value"]) if settled else None
    note = ""
    if settled and correct is None:
        note = f"No option describes what happened: the measurement found {measured['value']!r}."
    return {**measured, "settled": settled, "correct": correct, "note": note}
