"""Why Reporting's connection did not answer: the database's own error, plus the lesson in words."""

TIME_LIMIT_NOTE = (
    "every query here has a time limit, so one runaway query cannot tie up Shop's database"
)


class Failure(Exception):
    """kind: stacked | read_only | not_allowed | too_slow | too_big | sql_error | unavailable."""

    def __init__(self, kind, database_error, reason=""):
        super().__init__(database_error)
        self.kind, self.database_error, self.reason = kind, database_error, reason

    def explain(self, verb="", time_limit_ms=0):
        """A sentence a learner understands; the database's message is shown beside it."""
        what = f"This {verb}" if verb else "This statement"
        return {
            "stacked": "Refused: one statement at a time. Tacking “; DROP TABLE …” onto a harmless query is "
            "how an attacker smuggles in a second command.",
            "read_only": f"Refused: Reporting's connection can only read. {what} would change Shop's data, and the "
            "database itself stopped it — nothing was changed.",
            "not_allowed": f"Refused: {self.reason or 'this is switched off for this connection'}. Nothing was changed.",
            "too_slow": f"Stopped after {time_limit_ms / 1000:g} s: {TIME_LIMIT_NOTE}.",
            "too_big": f"Refused: one value may be at most {self.reason or 'a limited size'} here, so a single query "
            "cannot fill the server's memory or keep it busy building one giant text.",
            "unavailable": "Reporting cannot reach Shop's database right now.",
        }.get(self.kind, "The database could not run this query; its own message says why.")
