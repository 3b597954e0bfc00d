"""Everything the carrier pigeon style has: a contract, a trigger, an API route and a page."""

import pydantic
from django.shortcuts import render
from django.urls import path
from ninja import Router, Status

from patterns.contracts import registry as contracts
from patterns.ledger.recorder import record
from patterns.site import triggers


class Note(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    text: pydantic.constr(min_length=1, max_length=80)


def send(text):
    note = Note(text=text)
    row = record(
        style="pigeon",
        kind="note",
        hop="flown",
        source="loft",
        target="window",
        payload=note.model_dump(),
        contract="pigeon.note",
    )
    return {"id": row.id, "uid": row.uid}


def register_contracts():
    contracts.register("pigeon.note", Note, examples=[{"text": "coo"}])


def register_triggers():
    triggers.register(
        "pigeon",
        "note",
        lambda data: send(**Note.model_validate(data or {"text": "coo"}).model_dump()),
        help="a pigeon flies one note to the window",
    )


router = Router(tags=["pigeon"])


@router.post("/notes", response={201: dict})
def post_note(request, note: Note):
    return Status(201, send(note.text))


def page(request):
    from patterns.site.styles import BY_KEY

    return render(request, "style_page.html", {"style": BY_KEY["pigeon"]})


urlpatterns = [path("", page)]
