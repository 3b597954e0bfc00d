"""The contract registry. Styles register their message kinds here (usually when their app loads).

A pydantic model is the single source of each schema: it validates messages on the wire and
produces the JSON Schema the API documents show (OpenAPI, AsyncAPI, the /contracts page).

A contract has a name (`webhooks.payment.completed`), a version, and says how it travels
(`channel`: http, webhook, queue, stream, file, table) and where (`address`: a path, a queue, an
event type). Registering the same name with another version keeps both: `get(name)` is the
newest, `get(name, version)` or a claim like `record(contract="name@1")` picks an older one.
"""

from dataclasses import dataclass, field

import pydantic

# How each style's messages travel, when a contract does not say (its name starts with the style).
CHANNEL_OF_STYLE = {
    "api": "http",
    "ping": "http",
    "webhooks": "webhook",
    "queue": "queue",
    "streams": "stream",
    "files": "file",
    "database": "table",
}
CHANNELS = {
    "http": "HTTP request or response",
    "webhook": "Webhook event (an HTTP POST we send)",
    "queue": "Queue job",
    "stream": "Stream message (WebSocket)",
    "file": "File (CSV row)",
    "table": "Database table or query",
}


@dataclass(frozen=True)
class Contract:
    name: str
    model: type[pydantic.BaseModel]
    version: str = "1"
    description: str = ""
    examples: list = field(default_factory=list)
    channel: str = ""
    address: str = ""
    direction: str = "send"  # send: the playground sends it; receive: the playground accepts it

    @property
    def style(self):
        return self.name.split(".", 1)[0]

    @property
    def claim(self):
        """How a message names this exact version: `name@version`."""
        return f"{self.name}@{self.version}"

    def json_schema(self, ref_template="#/$defs/{model}"):
        return self.model.model_json_schema(ref_template=ref_template)


_contracts: dict[str, Contract] = {}  # name -> the newest version
_versions: dict[str, dict[str, Contract]] = {}  # name -> version -> contract


def _version_key(version):
    return tuple(int(p) if p.isdigit() else p for p in str(version).split("."))


def register(
    name,
    model,
    *,
    version="1",
    description="",
    examples=(),
    channel="",
    address="",
    direction="send",
):
    """Register (or re-register, on reload) the contract called `name`, at `version`."""
    style = name.split(".", 1)[0]
    contract = Contract(
        name,
        model,
        str(version),
        description or (model.__doc__ or "").strip(),
        list(examples),
        channel or CHANNEL_OF_STYLE.get(style, "http"),
        address or name.split(".", 1)[-1],
        direction,
    )
    versions = _versions.setdefault(name, {})
    versions[contract.version] = contract
    _contracts[name] = versions[max(versions, key=_version_key)]
    return contract


def unregister(name):
    """Forget a contract (all its versions). For tests that register throwaway contracts."""
    _contracts.pop(name, None)
    _versions.pop(name, None)


def _split(claim):
    name, _, version = claim.partition("@")
    return name, version or None


def get(name, version=None):
    """The contract called `name` (newest version), or that version; `name@version` works too."""
    name, claimed = _split(name)
    version = version or claimed
    if version is None:
        return _contracts.get(name)
    return _versions.get(name, {}).get(str(version))


def versions(name):
    """Every registered version of `name`, oldest first."""
    found = _versions.get(name, {})
    return [found[v] for v in sorted(found, key=_version_key)]


def all_contracts():
    return sorted(_contracts.values(), key=lambda c: c.name)


def describe_error(exc: pydantic.ValidationError):
    """The first problem, in words a learner can read, naming the field: `amount: field required`."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(message)"
    return where, f"{where}: {first['msg']}"


def check(name, payload):
    """(valid, problem): whether `payload` meets contract `name` (or `name@version`), and if not, what is wrong."""
    contract = get(name)
    if contract is None:
        return False, f"no contract called {name!r}"
    try:
        contract.model.model_validate(payload)
    except pydantic.ValidationError as exc:
        return False, describe_error(exc)[1]
    return True, None
