"""The read-only SQL console and the customer lookup: a learner's own queries against Shop's
database, through Reporting's read-only connection. Refusals are answers too: each says, in
words, why the database said no, beside the database's own message."""

from dataclasses import dataclass, field

from patterns.ledger.errors import ApiError

from . import reader
from .failures import Failure
from .statements import first_word

LOOKUP_SQL = """SELECT id, name, email, city
FROM shop_customer
WHERE email = :email"""
STATUS = {
    "stacked": 400,
    "sql_error": 400,
    "read_only": 403,
    "not_allowed": 403,
    "too_slow": 422,
    "too_big": 422,
    "unavailable": 503,
}
CODES = {
    "stacked": "one_statement_only",
    "sql_error": "sql_error",
    "read_only": "read_only",
    "not_allowed": "not_allowed",
    "too_slow": "time_limit",
    "too_big": "value_too_large",
    "unavailable": "database_unavailable",
}


class Refused(ApiError):
    """A refusal in the API's error shape, plus the database's own words and the outcome."""

    def __init__(self, failure, verb):
        super().__init__(
            STATUS[failure.kind], CODES[failure.kind], failure.explain(verb, reader.TIME_LIMIT_MS)
        )
        self.failure = failure

    def body(self):
        # Stacked statements are caught before they reach the database (the drivers refuse them too).
        refused_by = "console" if self.failure.kind == "stacked" else "database"
        return {
            **super().body(),
            "database_error": self.failure.database_error,
            "refused_by": refused_by,
        }


@dataclass
class Answer:
    payload: dict
    ok: bool
    error: str = ""
    status_code: int = 200
    duration_ms: float = 0.0
    response: dict = field(default_factory=dict)
    refusal: Refused = None


def run_query(sql, read=reader.query):
    """A learner's statement (blocking). Always an Answer; `.refusal` is set when refused."""
    payload = {"sql": sql, "outcome": "rows", "rows": 0, "columns": [], "truncated": False}
    try:
        result = read(sql)
    except Failure as exc:
        refusal = Refused(exc, first_word(sql) or "statement")
        outcome = {"too_slow": "too_slow", "sql_error": "error", "unavailable": "error"}.get(
            exc.kind, "refused"
        )
        return Answer(
            {**payload, "outcome": outcome},
            False,
            f"{refusal.detail} (database: {exc.database_error})",
            refusal.status,
            refusal=refusal,
        )
    payload.update(rows=len(result.rows), columns=result.columns, truncated=result.truncated)
    response = {
        "columns": result.columns,
        "rows": result.rows,
        "row_count": len(result.rows),
        "truncated": result.truncated,
        "row_cap": reader.ROW_CAP,
        "duration_ms": result.duration_ms,
    }
    return Answer(payload, True, duration_ms=result.duration_ms, response=response)


def lookup(email, read=reader.query):
    """Find customers by email, the email bound as a parameter: whatever it holds, it is data."""
    payload = {"email": email, "rows": 0, "sql": LOOKUP_SQL}
    try:
        result = read(LOOKUP_SQL, {"email": email})
    except Failure as exc:
        refusal = Refused(exc, "lookup")
        return Answer(payload, False, refusal.detail, refusal.status, refusal=refusal)
    payload["rows"] = len(result.rows)
    response = {
        "sql": LOOKUP_SQL,
        "params": {"email": email},
        "columns": result.columns,
        "rows": result.rows,
        "row_count": len(result.rows),
        "duration_ms": result.duration_ms,
        "note": _lookup_note(email, result.rows),
    }
    return Answer(payload, True, duration_ms=result.duration_ms, response=response)


def overran(fn, arg):
    """What fn(arg) answers when its query was abandoned past its time limit (see lane.py): the
    same answer as for a query the database stopped in time."""
    return fn(arg, read=_abandoned)


def _abandoned(*_):
    raise Failure(
        "too_slow", "still running past the time limit: abandoned, it finishes in the background"
    )


def _lookup_note(email, rows):
    if rows:
        return f"Found {len(rows)} customer(s) with exactly this email."
    if any(mark in email for mark in ("'", "--", ";", "/*")):
        return (
            "No customer has this exact email. Your text looks like an injection attempt, but it was sent to "
            "the database as a value, separate from the SQL — so it could not change the query. Had Reporting "
            "glued it into the SQL text instead, the database would have run: "
            f"… WHERE email = '{email}'"
            + (
                " — which is true for every customer, so it would have listed them all."
                if "or 1=1" in email.lower()
                else ""
            )
        )
    return "No customer has this exact email."
