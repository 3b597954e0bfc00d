"""The CSV contract between Shop and Accounting: the columns, their types, and the rules of the file.

Version 1. UTF-8 (a BOM is allowed), comma-separated, RFC 4180 quoting, a header line naming
exactly these columns in this order, one order per line. A cell that a spreadsheet would run as a
formula (starting with = + - @, a tab or a carriage return) — or that starts with ' — is written
with one extra ' in front; readers remove that one '.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

VERSION = "1"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "'")
STATUSES = ("pending", "paid", "shipped", "delivered", "cancelled", "refunded")

# (column, type in words, example, what it means)
COLUMNS = [
    (
        "order_id",
        "whole number > 0",
        "1042",
        "Shop's order number; a later file updates the same order",
    ),
    ("customer_id", "whole number > 0", "17", "Shop's customer number"),
    ("customer_name", "text, 1–100 characters", "Ines Moreau", "who ordered"),
    ("total", "amount with 2 decimals", "59.90", "in the order's currency"),
    ("currency", "3 capital letters", "EUR", "ISO 4217 code"),
    ("status", "one of " + ", ".join(STATUSES), "paid", "where the order stands"),
    ("created_at", "date and time with offset", "2026-11-27T14:03:00+00:00", "ISO 8601"),
    ("updated_at", "date and time with offset", "2026-11-27T15:10:00+00:00", "ISO 8601"),
]
NAMES = [c[0] for c in COLUMNS]


class BadRow(ValueError):
    def __init__(self, column, reason):
        super().__init__(f"{column}: {reason}" if column else reason)
        self.column = column


def escape(cell):
    text = str(cell)
    return "'" + text if text and text[0] in DANGEROUS else text


def unescape(cell):
    return cell[1:] if cell and cell[0] == "'" else cell


def _whole(column, text):
    if not text.isdigit() or int(text) <= 0:
        raise BadRow(column, f"{text!r} is not a whole number above 0")
    return int(text)


def _amount(text):
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadRow("total", f"{text!r} is not an amount like 59.90") from None
    if not value.is_finite() or value.as_tuple().exponent < -2 or abs(value) >= 10**10:
        raise BadRow("total", f"{text!r} is not an amount with at most 2 decimals")
    return value


def _moment(column, text):
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadRow(
            column, f"{text!r} is not a date and time like 2026-11-27T14:03:00+00:00"
        ) from None
    if value.tzinfo is None:
        raise BadRow(column, f"{text!r} has no UTC offset")
    return value


def parse(cells):
    """One data row (a list of cells) -> a dict of typed values, or BadRow naming the column."""
    if len(cells) != len(NAMES):
        raise BadRow(None, f"{len(cells)} cells where the contract has {len(NAMES)} columns")
    order_id, customer_id, name, total, currency, status, created, updated = (
        unescape(c) for c in cells
    )
    for column, text in zip(
        NAMES, (order_id, customer_id, name, total, currency, status, created, updated)
    ):
        if not text.strip():
            raise BadRow(column, "is required but empty")
    if len(name) > 100:
        raise BadRow("customer_name", "is longer than 100 characters")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise BadRow("currency", f"{currency!r} is not 3 capital letters like EUR")
    if status not in STATUSES:
        raise BadRow("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    return {
        "order_id": _whole("order_id", order_id),
        "customer_id": _whole("customer_id", customer_id),
        "customer_name": name,
        "total": _amount(total),
        "currency": currency,
        "status": status,
        "created_at": _moment("created_at", created),
        "updated_at": _moment("updated_at", updated),
    }


def header_problem(header):
    """None if the header is the contract's, else (column, sentence) naming what differs."""
    if header == NAMES:
        return None
    missing = [n for n in NAMES if n not in header]
    extra = [h for h in header if h not in NAMES]
    if missing or extra:
        parts = []
        if missing:
            parts.append(
                "missing column"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(repr(m) for m in missing)
            )
        if extra:
            parts.append(
                "unexpected column"
                + ("s " if len(extra) > 1 else " ")
                + ", ".join(repr(e) for e in extra)
            )
        return (missing or extra)[
            0
        ], "the header does not match contract v" + VERSION + ": " + "; ".join(parts)
    return None, "the columns are in another order than contract v" + VERSION + ": " + ", ".join(
        NAMES
    )


def describe():
    return {
        "version": VERSION,
        "encoding": "UTF-8 (a byte-order mark is allowed)",
        "delimiter": ",",
        "columns": [{"name": n, "type": t, "example": e, "meaning": m} for n, t, e, m in COLUMNS],
        "formula_escape": "cells starting with = + - @ tab CR or ' get one ' in front",
    }
