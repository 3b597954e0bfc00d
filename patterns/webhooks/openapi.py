"""The OpenAPI document's `webhooks` section (OpenAPI 3.1): the requests we send to subscribers,
one per event type, with the Standard Webhooks headers and each body's schema."""

from .catalog import SOURCES, TYPES, data_schema

HEADER_DOCS = {
    "webhook-id": "The event's id (`evt_…`): the same on every retry and resend. Deduplicate on it.",
    "webhook-timestamp": "Seconds since 1970 when this attempt was signed. Refuse it if more than 5 minutes off.",
    "webhook-signature": "`v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret; "
    "two, separated by a space, while a secret is being rotated.",
}


def _operation(event_type):
    return {
        "post": {
            "summary": f"{event_type.name} — sent by {SOURCES[event_type.source]}",
            "description": event_type.summary + " Answer 2xx within 15 s; anything else is retried "
            "(immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). 410 Gone unsubscribes.",
            "operationId": "webhook_" + event_type.name.replace(".", "_"),
            "tags": ["webhooks"],
            "parameters": [
                {
                    "name": name,
                    "in": "header",
                    "required": True,
                    "description": doc,
                    "schema": {"type": "string"},
                }
                for name, doc in HEADER_DOCS.items()
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": data_schema(event_type),
                        "example": {
                            "type": event_type.name,
                            "timestamp": "2025-01-01T12:00:00Z",
                            "data": event_type.sample,
                        },
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Received (any 2xx). Process it once, even if it comes again."
                },
                "401": {
                    "description": "Signature or timestamp wrong: we log it and retry on the ladder."
                },
                "410": {"description": "Gone: we disable this endpoint and stop sending."},
                "429": {
                    "description": "Too many requests: we wait at least Retry-After before trying again."
                },
            },
        }
    }


def webhooks_section():
    return {name: _operation(event_type) for name, event_type in TYPES.items()}


def extend_openapi(schema):
    """The `webhooks` section lists the events we send, unless the contracts already wrote one."""
    schema.setdefault("webhooks", webhooks_section())
