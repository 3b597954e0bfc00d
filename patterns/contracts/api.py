"""The contracts as an API (/api/contracts/…): list them, read one, download the AsyncAPI
document, check a message against a contract, and run the versioning demo."""

from typing import Any, Literal

from ninja import Router, Schema
from pydantic import ConfigDict, Field

from patterns.ledger.errors import ApiError, ErrorOut

from . import catalogue, documents, registry, versioning

router = Router(tags=["contracts"])


class ContractOut(Schema):
    name: str
    version: str
    claim: str
    group: str
    channel: str
    channel_text: str
    address: str
    direction: str
    description: str
    fields: list[dict[str, Any]]
    examples: list[Any]
    schema_: dict[str, Any] = Field(alias="schema")
    versions: list[str]
    wire: dict[str, int]


@router.get("/contracts", response=list[ContractOut], by_alias=True)
def list_contracts(request):
    """Every contract the playground knows, newest version of each, with what the ledger saw on the wire."""
    counts = catalogue.wire_counts()
    return [catalogue.entry(c, counts) for c in registry.all_contracts()]


@router.get("/contracts/asyncapi.json", response=dict[str, Any])
def asyncapi_document(request):
    """The AsyncAPI 3.0 document of the queue and stream channels (generated from the contracts)."""
    return documents.asyncapi()


class CheckIn(Schema):
    model_config = ConfigDict(extra="forbid")
    contract: str = Field(max_length=80, description="A contract name, or name@version.")
    payload: dict[str, Any]


class CheckOut(Schema):
    contract: str
    valid: bool
    problem: str | None


@router.post(
    "/contracts/check", response={200: CheckOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def check_message(request, payload: CheckIn):
    """Does this message meet the contract? If not, which field is wrong and why (nothing is recorded)."""
    contract = registry.get(payload.contract)
    if contract is None:
        raise ApiError(
            404, "unknown_contract", f"no contract called {payload.contract!r}", "contract"
        )
    valid, problem = registry.check(payload.contract, payload.payload)
    return {
        "contract": contract.claim if "@" in payload.contract else contract.name,
        "valid": valid,
        "problem": problem,
    }


class VersioningIn(Schema):
    model_config = ConfigDict(extra="forbid")
    change: Literal["add_field", "rename_field", "original"]


@router.post("/contracts/versioning", response={200: dict[str, Any], 400: ErrorOut, 422: ErrorOut})
def versioning_demo(request, payload: VersioningIn):
    """Evolve shop.order.placed (add a field, or rename one) and hand it to every consumer: who keeps working?"""
    return versioning.demo(payload.change)


@router.get("/contracts/{name}", response={200: list[ContractOut], 404: ErrorOut}, by_alias=True)
def get_contract(request, name: str):
    """One contract, every version (oldest first)."""
    found = registry.versions(name.partition("@")[0])
    if not found:
        raise ApiError(404, "unknown_contract", f"no contract called {name!r}", "name")
    counts = catalogue.wire_counts()
    return [catalogue.entry(c, counts) for c in found]
