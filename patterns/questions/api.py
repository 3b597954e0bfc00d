"""`/api/questions` (the catalogue; a learner alone tries one) and `/api/rooms/{code}/questions/…`
(a room's questions: the instructor asks, opens, locks, reveals and fires with the room's key;
students vote with no key and see the counts only after the reveal)."""

import csv
import io
import re
import secrets

from django.db import transaction
from django.http import HttpResponse
from ninja import Router, Status

from patterns.ledger.errors import ApiError, ErrorOut
from patterns.ledger.roomctx import world
from patterns.rooms import owner
from patterns.rooms.api import KEY_HEADER, _instructor, _room, announce

from . import catalogue, flow
from .models import Asked, Saved
from .schemas import VOTER, AskIn, ImportIn, SaveIn, TryIn, VoteIn

router = Router(tags=["questions"])
room_router = Router(tags=["questions"])
KEYED = {"openapi_extra": {"parameters": [KEY_HEADER]}}
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _public(asked):
    spec = asked.spec
    m = catalogue.measurements().get(spec["measurement"])
    return {
        "id": asked.pk,
        "source": asked.source,
        "style": spec.get("style", ""),
        "text": spec["text"],
        "options": [o["text"] for o in spec["options"]],
        "explain": spec.get("explain", ""),
        "measurement": catalogue.describe_measurement(m) if m else None,
        "steps": spec["steps"],
        "state": asked.state,
        "round": asked.round,
        "revealed": asked.revealed,
        "fired": asked.fired_at is not None,
    }


def results(asked, key, voter=""):
    """What a page shows: the question, who voted, the counts (key holders, or after the reveal)
    and, once fired, what was measured and which option it makes right."""
    current = asked.votes.filter(round=asked.round)
    voted = current.count()
    out = {
        **_public(asked),
        "voted": voted,
        "connected": max(flow.connected(asked.world), voted),
        "counts_visible": bool(key or asked.revealed),
        "rounds": flow.rounds(asked) if key or asked.revealed else None,
        "outcome": flow.measure(asked),
    }
    if voter:
        mine = current.filter(voter=voter).values_list("option", flat=True).first()
        out["your_vote"] = mine
    return out


def _announce(room, asked):
    announce(room, question={k: v for k, v in _public(asked).items() if k in ANNOUNCED})


ANNOUNCED = ("id", "state", "round", "revealed", "fired")


# The catalogue and a learner alone ------------------------------------------------------------


@router.get("", summary="The built-in questions and the measurements a question can use")
def list_catalogue(request):
    """Every style's built-in prediction questions (each fires a real action and is decided by a
    measurement of the ledger), and every declared measurement an instructor's own question may use."""
    return {
        "questions": [{"id": q.id, **catalogue.spec_of(q)} for q in catalogue.questions().values()],
        "measurements": [
            catalogue.describe_measurement(m) for m in catalogue.measurements().values()
        ],
        "actions": catalogue.actions(),
    }


def _built_in(qid):
    question = catalogue.questions().get(qid)
    if question is None:
        raise ApiError(404, "unknown_question", f"there is no built-in question {qid!r}", "id")
    return question


@router.post("/{qid}/try", response={201: dict, **ERRORS}, summary="Predict, then fire, alone")
def try_one(request, qid: str, body: TryIn):
    """A learner alone (in the shared demo, or a room that lets students fire): your prediction is
    recorded, the action fires for real, and GET /api/questions/tries/{id} says whether it held."""
    question = _built_in(qid)
    if body.option >= len(question.options):
        raise ApiError(
            422, "unknown_option", f"option must be 0 to {len(question.options) - 1}", "option"
        )
    asked = flow.ask(world(), catalogue.spec_of(question), question.id)
    you = "learner-" + secrets.token_hex(8)
    flow.vote(flow.open_round(asked), you, body.option)
    asked = flow.fire(flow.lock(asked))
    return Status(201, {**results(asked, True, you), "voter": you})


@router.get("/tries/{tid}", response={200: dict, 404: ErrorOut}, summary="How a try turned out")
def get_try(request, tid: int, voter: str = ""):
    asked = Asked.objects.filter(pk=tid, world=world()).first()
    if asked is None:
        raise ApiError(404, "unknown_try", f"there is no try {tid} here", "id")
    out = results(asked, True, voter[:64])
    outcome = out["outcome"]
    if outcome and outcome["settled"] and out.get("your_vote") is not None:
        out["held"] = outcome["correct"] == out["your_vote"]
    return out


# A room's questions ----------------------------------------------------------------------------


def _asked(room, qid):
    asked = Asked.objects.filter(pk=qid, world=room.code).first()
    if asked is None:
        raise ApiError(404, "unknown_question", f"room {room.code} has no question {qid}", "qid")
    return asked


def _saved_public(saved):
    spec = saved.spec
    return {
        "id": saved.pk,
        "style": spec.get("style", ""),
        "text": spec["text"],
        "options": spec["options"],
        "steps": spec["steps"],
        "measurement": spec["measurement"],
        "explain": spec.get("explain", ""),
    }


def _save(room, question):
    """Keep an instructor's own question in the room (once: the same question saved twice is one)."""
    spec = question.spec()
    found = next((s for s in Saved.objects.filter(world=room.code) if s.spec == spec), None)
    return found or Saved.objects.create(world=room.code, spec=spec)


@room_router.post(
    "/{code}/questions", response={201: dict, **ERRORS}, summary="Ask a question", **KEYED
)
def ask(request, code: str, body: AskIn):
    """From the catalogue (`catalogue`: its id), the room's own saved ones (`own`: its id) or a new
    question of the instructor's own (`question`, which is saved too)."""
    room = _instructor(request, code)
    if sum(x is not None for x in (body.catalogue, body.own, body.question)) != 1:
        raise ApiError(
            422,
            "one_question",
            "send one of catalogue (an id), own (an id) or question",
            "catalogue",
        )
    if body.catalogue is not None:
        question = _built_in(body.catalogue)
        asked = flow.ask(room.code, catalogue.spec_of(question), question.id)
    elif body.own is not None:
        saved = Saved.objects.filter(pk=body.own, world=room.code).first()
        if saved is None:
            raise ApiError(
                404, "unknown_question", f"room {room.code} has no own question {body.own}", "own"
            )
        asked = flow.ask(room.code, saved.spec, "own")
    else:
        saved = _save(room, body.question.check_options("question"))
        asked = flow.ask(room.code, saved.spec, "own")
    _announce(room, asked)
    return Status(201, results(asked, True))


@room_router.get("/{code}/questions/own", summary="The room's own questions", **KEYED)
def list_own(request, code: str):
    room = _instructor(request, code)
    return {"questions": [_saved_public(s) for s in Saved.objects.filter(world=room.code)]}


@room_router.post(
    "/{code}/questions/own", response={201: dict, **ERRORS}, summary="Save a question", **KEYED
)
def save_own(request, code: str, body: SaveIn):
    """An instructor's own question, kept in the room to ask later (and exported with the rest)."""
    room = _instructor(request, code)
    saved = _save(room, body.question.check_options("question"))
    return Status(201, _saved_public(saved))


@room_router.get("/{code}/questions", summary="The room's questions (and the one in play)")
def list_room(request, code: str, voter: str = ""):
    """Students' pages call this with their anonymous token: it counts them as connected."""
    room = _room(request, code)
    key = room.key_matches(request.headers.get("X-Room-Key", ""))
    if re.fullmatch(VOTER, voter) and not key:
        flow.seen(room.code, voter)
    asked = list(Asked.objects.filter(world=room.code))
    playing = next((a for a in reversed(asked) if a.state != "ready" or key), None)
    return {
        "questions": [_public(a) for a in asked],
        "current": results(playing, key, voter[:64]) if playing else None,
    }


@room_router.get("/{code}/questions/export", summary="The room's own questions, as JSON", **KEYED)
def export(request, code: str):
    room = _instructor(request, code)
    fields = ("text", "options", "steps", "measurement", "explain")
    return {
        "questions": [{k: s.spec[k] for k in fields} for s in Saved.objects.filter(world=room.code)]
    }


@room_router.post(
    "/{code}/questions/import", response={201: dict, **ERRORS}, summary="Import questions", **KEYED
)
def import_(request, code: str, body: ImportIn):
    """Adds the questions to the room's own (one already there is not added twice); asks none."""
    room = _instructor(request, code)
    for index, question in enumerate(body.questions):
        question.check_options(f"questions.{index}")  # all are checked before any is kept
    before = Saved.objects.filter(world=room.code).count()
    with transaction.atomic():
        kept = [_save(room, q) for q in body.questions]
    added = Saved.objects.filter(world=room.code).count() - before
    return Status(201, {"added": added, "questions": [_saved_public(s) for s in kept]})


def _move(action):
    def move(request, code: str, qid: int):
        room = _instructor(request, code)
        asked = _asked(room, qid)
        if action == "fire" and asked.spec.get("shared") and not owner.is_owner(request):
            raise ApiError(
                403,
                "owner_key_required",
                "this question's action changes what every room shares (Shop's schema, the "
                "file drop's inbox): only the owner may fire it (X-Owner-Key)",
                "X-Owner-Key",
            )
        asked = getattr(flow, {"open": "open_round"}.get(action, action))(asked)
        _announce(room, asked)
        return results(asked, True)

    move.__name__ = f"{action}_question"
    return move


for _action, _summary in (
    ("open", "Open the next round of votes"),
    ("lock", "Lock the open round"),
    ("reveal", "Show everyone each round's votes"),
    ("fire", "Fire the question's action for real"),
):
    room_router.post(
        f"/{{code}}/questions/{{qid}}/{_action}",
        response={200: dict, **ERRORS},
        summary=_summary,
        **KEYED,
    )(_move(_action))


@room_router.post("/{code}/questions/{qid}/votes", response={200: dict, **ERRORS}, summary="Vote")
def cast(request, code: str, qid: int, body: VoteIn):
    """A student's vote (no key): one per voter per round, the latest counts until the lock."""
    room = _room(request, code)
    asked = flow.vote(_asked(room, qid), body.voter, body.option)
    flow.seen(room.code, body.voter)
    return results(asked, False, body.voter)


@room_router.get(
    "/{code}/questions/{qid}/results", response={200: dict, **ERRORS}, summary="Results"
)
def get_results(request, code: str, qid: int, voter: str = ""):
    """Each round's counts (only with the room's key until the reveal), voters and connected pages,
    and once fired what was measured and which option it makes right."""
    room = _room(request, code)
    key = room.key_matches(request.headers.get("X-Room-Key", ""))
    return results(_asked(room, qid), key, voter[:64])


def _cell(text):
    """An option's text as a spreadsheet shows it, never runs it: a leading = + - @ makes a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@room_router.get(
    "/{code}/questions/{qid}/results.csv", response={200: None, **ERRORS}, summary="Results as CSV"
)
def results_csv(request, code: str, qid: int):
    room = _room(request, code)
    key = room.key_matches(request.headers.get("X-Room-Key", ""))
    asked = _asked(room, qid)
    out = results(asked, key)
    if out["rounds"] is None:
        raise ApiError(403, "not_revealed", "the votes are shown after the reveal", "X-Room-Key")
    correct = (out["outcome"] or {}).get("correct")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["round", "option", "text", "votes", "correct"])
    for r in out["rounds"]:
        for index, text in enumerate(out["options"]):
            writer.writerow([r["round"], index, _cell(text), r["counts"][index], index == correct])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="question-{asked.pk}.csv"'
    return response
