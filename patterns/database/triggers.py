"""`manage.py fire database <kind>`: the page's buttons, from a terminal."""

import pydantic
from asgiref.sync import async_to_sync

from patterns.site import triggers

from . import agreed, changes, console, notes, reporting


class DashboardData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    via: str = pydantic.Field("direct", pattern="^(direct|api)$")


class QueryData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    # The default is the console's first example, so `manage.py fire database query` shows something.
    sql: str = pydantic.Field(
        "SELECT id, status, total FROM shop_order ORDER BY id LIMIT 5",
        min_length=1,
        max_length=4000,
    )


class SchemaData(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    change: str = pydantic.Field(
        "rename_column", pattern="^(rename_column|change_type|split_table|add_not_null|restore)$"
    )


def fire_dashboard(data):
    via = DashboardData.model_validate(data).via
    panels, calls = (
        (reporting.dashboard(), []) if via == "direct" else async_to_sync(agreed.dashboard)()
    )
    notes.record_dashboard(via, panels, calls)
    return {"via": via, "ok": {name: p["ok"] for name, p in panels.items()}}


def fire_query(data):
    answer = console.run_query(QueryData.model_validate(data).sql)
    notes.record_console(
        "console.query",
        answer.payload,
        ok=answer.ok,
        error=answer.error,
        status_code=answer.status_code,
        duration_ms=answer.duration_ms,
    )
    return {"ok": answer.ok, "error": answer.error, **answer.response}


def fire_schema(data):
    ran, state = changes.ship(SchemaData.model_validate(data).change)
    return {"ran": ran, "applied": state["applied"]}


def register():
    triggers.register(
        "database",
        "dashboard",
        fire_dashboard,
        help='Reporting refreshes its dashboard ({"via": "direct"|"api"})',
    )
    triggers.register(
        "database", "query", fire_query, help='a read-only console query ({"sql": "SELECT …"})'
    )
    triggers.register(
        "database",
        "schema",
        fire_schema,
        help='Shop ships a change ({"change": "rename_column"|…|"restore"})',
    )
