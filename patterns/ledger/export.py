"""Exports of the message log (CSV and JSON), streamed so a large ledger never sits in memory."""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder

COLUMNS = [
    "id",
    "created_at",
    "style",
    "kind",
    "hop",
    "source",
    "target",
    "status",
    "status_code",
    "attempt",
    "correlation_id",
    "uid",
    "room",
    "contract",
    "valid",
    "error",
    "duration_ms",
    "sent_at",
    "latency_ms",
    "payload",
    "headers",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_rows(messages):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for msg in messages.iterator(chunk_size=2000):
        row = msg.to_dict()
        row["payload"] = json.dumps(row["payload"], cls=DjangoJSONEncoder)
        row["headers"] = json.dumps(row["headers"], cls=DjangoJSONEncoder)
        yield writer.writerow([spreadsheet_safe(row[c]) for c in COLUMNS])


def json_chunks(messages):
    yield '{"messages": ['
    for n, msg in enumerate(messages.iterator(chunk_size=2000)):
        yield ("," if n else "") + "\n" + json.dumps(msg.to_dict(), cls=DjangoJSONEncoder)
    yield "\n]}\n"
