"""`manage.py fire files <kind>`: the page's buttons, from a terminal."""

import pydantic

from patterns.site import triggers

from . import clock, night, scenarios


class ExportData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    bom: bool = False


class DemoData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    scenario: str = pydantic.Field("bad_row", pattern="^(late|partial|schema_change|bad_row)$")


def fire_export(data):
    clock.get()
    m = night.export_now(bom=ExportData.model_validate(data).bom)
    return {"file": m["delivered_as"], "rows": m["rows"], "sha256": m["sha256"]}


def fire_pickup(data):
    clock.get()
    s = night.pickup_now()
    return {k: s[k] for k in ("found", "imported", "rejected", "note")}


def fire_demo(data):
    clock.get()
    result = scenarios.run(DemoData.model_validate(data).scenario)
    return {"scenario": result["scenario"], "detail": result["detail"]}


def register():
    triggers.register(
        "files",
        "export",
        fire_export,
        help='Shop exports its orders as CSV now ({"bom": true} for Excel)',
    )
    triggers.register("files", "pickup", fire_pickup, help="Accounting picks up the inbox now")
    triggers.register(
        "files",
        "demo",
        fire_demo,
        help='a famous failure ({"scenario": "late"|"partial"|"schema_change"|"bad_row"})',
    )
