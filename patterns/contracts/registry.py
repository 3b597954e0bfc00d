"""The contract registry. Styles register their message kinds here (usually when their app loads).

A pydantic model is the single source of each schema: it validates messages on the wire and
produces the JSON Schema the API documents show.
"""

from dataclasses import dataclass, field

import pydantic


@dataclass(frozen=True)
class Contract:
    name: str
    model: type[pydantic.BaseModel]
    version: str = "1"
    description: str = ""
    examples: list = field(default_factory=list)

    def json_schema(self):
        return self.model.model_json_schema()


_contracts: dict[str, Contract] = {}


def register(name, model, *, version="1", description="", examples=()):
    """Register (or re-register, on reload) the contract called `name`."""
    contract = Contract(name, model, version, description or (model.__doc__ or "").strip(), list(examples))
    _contracts[name] = contract
    return contract


def get(name):
    return _contracts.get(name)


def all_contracts():
    return sorted(_contracts.values(), key=lambda c: c.name)


def describe_error(exc: pydantic.ValidationError):
    """The first problem, in words a learner can read, naming the field: `amount: field required`."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(message)"
    return where, f"{where}: {first['msg']}"


def check(name, payload):
    """(valid, problem): whether `payload` meets contract `name`, and if not, what is wrong."""
    contract = _contracts.get(name)
    if contract is None:
        return False, f"no contract called {name!r}"
    try:
        contract.model.model_validate(payload)
    except pydantic.ValidationError as exc:
        return False, describe_error(exc)[1]
    return True, None
