"""The machine-readable documents, generated from the same pydantic models as everything else:

- the OpenAPI 3.1 document (/api/openapi.json, built by ninja) gets a `webhooks` section with
  every webhook event the playground sends (contracts whose channel is "webhook");
- an AsyncAPI 3.0 document (/api/contracts/asyncapi.json) describes the queue and stream
  channels (contracts whose channel is "queue" or "stream").
"""

import re
from urllib.parse import urlsplit

from django.conf import settings

from . import registry

ASYNC_CHANNELS = ("queue", "stream")


def component_id(contract):
    """A component name both specifications accept: letters, digits, '.', '-', '_'."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{contract.name}.v{contract.version}")


def add_schema(schemas, contract):
    """Put the contract's JSON Schema (and the models it uses) into `schemas`; return its $ref base."""
    cid = component_id(contract)
    body = contract.json_schema(ref_template=f"#/components/schemas/{cid}.{{model}}")
    for name, sub in body.pop("$defs", {}).items():
        schemas[f"{cid}.{name}"] = sub
    schemas[cid] = body
    return f"#/components/schemas/{cid}"


def _webhook(contract, ref):
    examples = {f"example{n + 1}": {"value": ex} for n, ex in enumerate(contract.examples[:3])}
    content = {"schema": {"$ref": ref}} | ({"examples": examples} if examples else {})
    return {
        "post": {
            "summary": f"{contract.address} (contract {contract.claim})",
            "description": contract.description or contract.name,
            "operationId": "webhook_" + re.sub(r"\W", "_", contract.name),
            "tags": ["webhooks we send"],
            "requestBody": {"required": True, "content": {"application/json": content}},
            "responses": {
                "2XX": {
                    "description": "Received: any 2xx counts as delivered; anything else is retried."
                }
            },
        }
    }


def extend_openapi(schema):
    """Add the `webhooks` section (OpenAPI 3.1) for every webhook event contract."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    hooks = {}
    for contract in registry.all_contracts():
        if contract.channel == "webhook" and contract.direction == "send":
            hooks[contract.address] = _webhook(contract, add_schema(schemas, contract))
    if hooks:
        schema["webhooks"] = hooks
    return schema


def _servers():
    web = urlsplit(settings.PLAYGROUND_BASE_URL)
    return {
        "playground": {
            "host": web.netloc,
            "protocol": "wss" if web.scheme == "https" else "ws",
            "description": "The playground's WebSocket endpoints (origin-checked).",
        },
        "broker": {
            "host": "localhost:6379",
            "protocol": "redis",
            "description": "The Celery broker (Redis; embedded on a Unix socket unless REDIS_URL is set).",
        },
    }


def _message(contract, ref):
    message = {
        "name": contract.name,
        "title": contract.name,
        "summary": contract.description or contract.name,
        "contentType": "application/json",
        "payload": {"$ref": ref},
        "x-contract-version": contract.version,
    }
    if contract.examples:
        message["examples"] = [{"payload": ex} for ex in contract.examples[:3]]
    return message


def asyncapi():
    """The AsyncAPI 3.0 document of every queue and stream channel."""
    channels, operations, messages, schemas = {}, {}, {}, {}
    every_version = [v for c in registry.all_contracts() for v in registry.versions(c.name)]
    for contract in every_version:  # during a migration, old and new versions share the channel
        if contract.channel not in ASYNC_CHANNELS:
            continue
        mid, chid = (
            component_id(contract),
            re.sub(r"[^A-Za-z0-9._-]", "_", contract.address.strip("/")) or "root",
        )
        messages[mid] = _message(contract, add_schema(schemas, contract))
        server = "broker" if contract.channel == "queue" else "playground"
        channel = channels.setdefault(
            chid,
            {
                "address": contract.address,
                "title": f"{contract.channel}: {contract.address}",
                "servers": [{"$ref": f"#/servers/{server}"}],
                "messages": {},
            },
        )
        channel["messages"][mid] = {"$ref": f"#/components/messages/{mid}"}
        operations[f"{contract.direction}.{mid}"] = {
            "action": contract.direction,
            "channel": {"$ref": f"#/channels/{chid}"},
            "summary": f"The playground {contract.direction}s {contract.name}",
            "messages": [{"$ref": f"#/channels/{chid}/messages/{mid}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Communication Playground: queues and streams",
            "version": "1",
            "description": "Every queue job and stream message of the playground, generated from the same "
            "schemas that check them on the wire. The REST API and the webhooks we send are "
            "in the OpenAPI document (/api/openapi.json).",
        },
        "defaultContentType": "application/json",
        "servers": _servers(),
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }
