"""`/api/tours/…`: the guided tours as data; `/api/compare/…`: "one order, six ways".

GET  /api/tours                 every tour that can run (its style is built)
GET  /api/tours/{style}         one tour: steps, narration, actions, expected ledger hops
GET  /api/compare/lanes         the lanes (one per style; styles without one say "not built yet")
POST /api/compare/runs          {order_id, faults}: ship the order through every lane at once (202)
GET  /api/compare/runs/latest   the newest run, measured from the ledger ({"id": null} if none)
GET  /api/compare/runs/{id}     one run, measured from the ledger

Runs belong to a world (a room, or the shared demo): a run is started, listed and read back only in
the world of the request (the room guard decides it).
"""

from ninja import Router, Schema, Status
from pydantic import Field

from patterns.ledger.errors import ApiError, ErrorOut

from . import lanes, runs, scripts

router = Router(tags=["tours"])
compare_router = Router(tags=["compare"])


class RunIn(Schema):
    order_id: int = Field(
        42, ge=1, le=1_000_000, description="the order Shop ships (42 in the story)"
    )
    faults: list[str] = Field(default_factory=list, description="lane keys whose failure to inject")


@router.get("", summary="Every guided tour whose style is built")
def list_tours(request):
    return {
        "tours": [
            {k: t[k] for k in ("style", "style_name", "title", "summary", "page")}
            | {"steps": len(t["steps"])}
            for t in scripts.available()
        ]
    }


@router.get(
    "/{style}",
    response={200: dict, 404: ErrorOut},
    summary="One tour: its steps, their actions and expected hops",
)
def get_tour(request, style: str):
    tour = scripts.tour_for(style)
    if tour is None:
        raise ApiError(
            404,
            "not_found",
            f"no tour for {style!r}; tours: {', '.join(t['style'] for t in scripts.available())}",
        )
    return tour


@compare_router.get("/lanes", summary="The comparison's lanes, one per style")
def list_lanes(request):
    return {
        "lanes": [
            {
                **(lane.describe() if lane else {"key": style.key, "title": style.name}),
                "style": style.name,
                "built": lane is not None,
            }
            for style, lane in lanes.board()
        ]
    }


@compare_router.post(
    "/runs",
    response={202: dict, 409: ErrorOut, 422: ErrorOut},
    summary="Ship one order through every lane at once",
)
def start_run(request, body: RunIn):
    known = {lane.key for lane in lanes.active()}
    unknown = [f for f in body.faults if f not in known]
    if unknown:
        raise ApiError(
            422,
            "unknown_lane",
            f"faults must name lanes that run: {', '.join(sorted(known))}",
            "faults",
        )
    try:
        run = runs.create(body.order_id, set(body.faults))
    except runs.Busy as exc:
        raise ApiError(409, "busy", str(exc)) from None
    return Status(202, runs.summary(run))


@compare_router.get("/runs/latest", response={200: dict}, summary="The newest run in this world")
def latest_run(request):
    """The newest run of this room (or of the shared demo); before the first, an empty state
    (`id` null), not an error: a page asks on every first visit."""
    run = runs.latest()
    if run is None:
        return {
            "id": None,
            "running": False,
            "detail": "no comparison has run here yet: ship order 42 to start one",
        }
    return runs.summary(run)


@compare_router.get(
    "/runs/{run_id}",
    response={200: dict, 404: ErrorOut},
    summary="One run, measured from the ledger",
)
def get_run(request, run_id: int):
    run = runs.find(run_id)
    if run is None:
        raise ApiError(404, "not_found", f"no run #{run_id}")
    return runs.summary(run)
