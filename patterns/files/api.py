"""The file drop's API, at /api/files/:

POST export {bom?}            Shop exports its orders now (outbox, then Accounting's inbox)
POST pickup                   Accounting checks its inbox now
POST upload (multipart: file) your own CSV into the inbox
POST demo {scenario}          late | partial | schema_change | bad_row
POST clock {running}          start or pause the story clock (the night's schedule)
GET  /api/files               every file in every folder, with its state and report; the clock
GET  {name}?folder=           download a file (CSV, manifest or report)
GET  {name}/rows?limit=&folder=  the first rows of a file as a table, with physical line numbers
"""

from typing import Literal

from django.http import FileResponse
from ninja import Query, Router, Schema
from pydantic import Field

from patterns.ledger.errors import ApiError

from . import clock, csvcontract, folders, listing, night, scenarios, uploads

router = Router(tags=["files"])
listing_router = Router(tags=["files"])  # GET /api/files itself, without a trailing slash


class ExportIn(Schema):
    bom: bool = Field(False, description="start the file with a UTF-8 byte-order mark, for Excel")


class DemoIn(Schema):
    scenario: Literal["late", "partial", "schema_change", "bad_row"]


class ClockIn(Schema):
    running: bool


Folder = Literal["outbox", "inbox", "processed", "rejected"]


def _path(name, folder=None):
    try:
        found = folders.find(name, folder)
    except folders.BadName as exc:
        raise ApiError(400, "bad_file_name", str(exc), "name") from None
    if not found:
        raise ApiError(
            404,
            "not_found",
            f"no file called {name!r} in {folder + '/' if folder else 'any folder'}",
            "name",
        )
    return found


@router.post(
    "/export",
    summary="Shop exports its orders now: CSV + manifest into its outbox, delivered to Accounting's inbox",
)
def export(request, body: ExportIn = None):
    clock.get()
    manifest = night.export_now(bom=bool(body and body.bom))
    return {
        "file": manifest["delivered_as"],
        "rows": manifest["rows"],
        "bytes": manifest["bytes"],
        "sha256": manifest["sha256"],
        "written": manifest["written_label"],
        "exchange_id": manifest["exchange_id"],
        "new_orders": len(manifest["new_orders"]),
    }


@router.post("/pickup", summary="Accounting checks its inbox now and imports every complete file")
def pickup(request):
    clock.get()
    return night.pickup_now()


@router.post(
    "/upload",
    summary="Upload your own CSV into Accounting's inbox (multipart/form-data, field `file`)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
def upload(request):
    # Its size, form and file name were checked at the door (patterns/site/bodies.py).
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise ApiError(
            400, "no_file", "send the CSV as multipart/form-data in a field called `file`", "file"
        )
    clock.get()
    try:
        manifest = uploads.save(uploaded, uploaded.name or "upload.csv")
    except uploads.Refused as exc:
        raise ApiError(exc.status, exc.error, exc.detail, exc.field) from None
    return {
        "file": manifest["file"],
        "rows": manifest["rows"],
        "bytes": manifest["bytes"],
        "sha256": manifest["sha256"],
    }


@router.post(
    "/demo",
    summary="Make a famous file failure happen for real: late, partial, schema_change, bad_row",
)
def demo(request, body: DemoIn):
    clock.get()
    return scenarios.run(body.scenario)


@router.post(
    "/clock",
    summary="Start or pause the story clock that runs the 00:00 export and the 08:00 pickup",
)
def set_clock(request, body: ClockIn):
    return clock.describe(clock.set_running(body.running))


@listing_router.get(
    "/files",
    summary="Every file in every folder with its state and report, the story clock and the CSV contract",
)
def list_files(request):
    return {**listing.summary(), "contract": csvcontract.describe(), "states": listing.STATES}


@router.get("/{name}", summary="Download a file (a CSV, a manifest or a report)")
def download(request, name: str, folder: Folder = None):
    _, path = _path(name, folder)
    kind = "application/json" if name.endswith(".json") else "text/csv; charset=utf-8"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name, content_type=kind)


@router.get(
    "/{name}/rows", summary="The first rows of a file as a table, with their physical line numbers"
)
def file_rows(request, name: str, limit: int = Query(100, ge=1, le=1000), folder: Folder = None):
    directory, path = _path(name, folder)
    return {"name": path.name, "folder": directory, **listing.rows(path, limit)}
