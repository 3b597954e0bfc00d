"""The contracts as the page and the API show them: grouped by style, with their fields, examples,
every version, and what the ledger saw on the wire (how many messages claimed each, how many broke it)."""

from django.db.models import Count

from patterns.ledger.query import last_id, visible
from patterns.site.styles import BY_KEY

from . import registry
from .fields import describe

RECENT = (
    50_000  # the wire counts cover the newest messages only, so the page stays fast on a big ledger
)
GROUPS = {
    "ping": "Home page: the ping",
    "feed": "The live feed (every page)",
    "shop": "Shop's events (the versioning demo)",
    "questions": "Predict first: questions, votes and outcomes",
}


def group_name(prefix):
    style = BY_KEY.get(prefix)
    return style.name if style else GROUPS.get(prefix, prefix)


def wire_counts():
    """{contract claim: {"messages": n, "invalid": m}} over the newest RECENT ledger messages."""
    recent = visible().filter(id__gt=last_id() - RECENT).exclude(contract="")
    counts = {}
    for row in recent.values("contract", "valid").annotate(n=Count("id")).order_by():
        name = row["contract"].partition("@")[0]
        entry = counts.setdefault(name, {"messages": 0, "invalid": 0})
        entry["messages"] += row["n"]
        entry["invalid"] += row["n"] if row["valid"] is False else 0
    return counts


def entry(contract, counts=None):
    versions = registry.versions(contract.name)
    return {
        "name": contract.name,
        "version": contract.version,
        "claim": contract.claim,
        "group": contract.style,
        "channel": contract.channel,
        "channel_text": registry.CHANNELS.get(contract.channel, contract.channel),
        "address": contract.address,
        "direction": contract.direction,
        "description": contract.description,
        "fields": describe(contract.model.model_json_schema()),
        "examples": contract.examples,
        "schema": contract.json_schema(),
        "versions": [v.version for v in versions],
        "wire": (counts or {}).get(contract.name, {"messages": 0, "invalid": 0}),
    }


def catalogue():
    """[(group title, [entries])] in a stable order: the six styles first, then the rest."""
    counts = wire_counts()
    groups = {}
    for contract in registry.all_contracts():
        groups.setdefault(contract.style, []).append(entry(contract, counts))
    order = [*BY_KEY, "ping", "feed", "shop", "questions"]
    keys = sorted(groups, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(group_name(k), k, groups[k]) for k in keys]
