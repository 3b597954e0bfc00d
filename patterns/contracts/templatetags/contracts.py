"""`{% contract_panel "api.order.new api.order" %}`: a style page shows its contracts beside the
traffic — name, version, fields — with a link to the full entry on /contracts/."""

import json

from django import template

from .. import registry
from ..fields import describe

register = template.Library()


@register.inclusion_tag("contracts/_panel.html")
def contract_panel(names, title="The contract"):
    shown = []
    for name in names.split():
        contract = registry.get(name)
        if contract is not None:
            shown.append(
                {
                    "contract": contract,
                    "fields": describe(contract.model.model_json_schema()),
                    "example": contract.examples[0] if contract.examples else None,
                }
            )
    return {"shown": shown, "title": title}


@register.filter
def as_json(value):
    """An example as the JSON it travels as (autoescaped by the template)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
