"""Break a contract on purpose: a real message that is almost right, with one field wrong.

Every style's "break the contract" button sends such a message through its real mechanism, so a
class sees who rejects it and why. `malform(name)` builds it from the contract's first example.
"""

from dataclasses import dataclass

import pydantic

from . import registry

# What to put in a field of each JSON type so that it no longer fits.
WRONG_VALUE = {
    "string": (12345, "a number where text belongs"),
    "integer": ("forty-two", "a word where a whole number belongs"),
    "number": ("a lot", "a word where a number belongs"),
    "boolean": ("maybe", "a word where true or false belongs"),
    "array": ("not a list", "text where a list belongs"),
    "object": ("not an object", "text where an object belongs"),
}


@dataclass(frozen=True)
class Broken:
    payload: dict
    field: str
    what: str  # in words: "total: a word where a number belongs"


def _types(prop):
    if "type" in prop:
        return [prop["type"]] if isinstance(prop["type"], str) else prop["type"]
    return [t for option in prop.get("anyOf", []) for t in _types(option)]


def _candidates(schema, example):
    required = schema.get("required", [])
    props = schema.get("properties", {})
    for name in [*required, *[p for p in props if p not in required]]:
        prop = props.get(name, {})
        if "enum" in prop or "const" in prop:
            yield name, "no-such-value", "a value that is not one of the allowed ones"
        for kind in _types(prop):
            if kind in WRONG_VALUE:
                yield name, *WRONG_VALUE[kind]
        if name in required and name in example:
            yield name, None, "a required field left out"


def malform(name):
    """A copy of contract `name`'s first example with one field made wrong (checked to fail)."""
    contract = registry.get(name)
    if contract is None or not contract.examples:
        raise LookupError(f"contract {name!r} has no example to break")
    example = dict(contract.examples[0])
    for field, value, what in _candidates(contract.model.model_json_schema(), example):
        payload = {k: v for k, v in example.items() if k != field}
        if value is not None:
            payload[field] = value
        try:
            contract.model.model_validate(payload)
        except pydantic.ValidationError:
            return Broken(payload, field, f"{field}: {what}")
    raise LookupError(f"contract {name!r} accepts anything; nothing to break")
