"""Reporting's connection to Shop's SQLite file: read-only in fact, in three independent ways.

1. The file is opened with `mode=ro`: SQLite itself refuses to write it.
2. An authorizer (SQLite calls it while preparing every statement) allows reading and nothing
   else: no writes, no ATTACH (which would create a file), no VACUUM INTO (a copy on disk), no
   PRAGMA that changes anything, no load_extension().
3. Limits: no attached databases at all, values of at most 1 MB, and a progress handler that
   interrupts any statement past its time limit.
"""

import sqlite3
import time
from pathlib import Path

from .failures import Failure

ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
READ_PRAGMAS = {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                "foreign_key_list", "collation_list", "function_list"}
DENIED_FUNCTIONS = {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"}
# Why an action was refused, in a learner's words (the database's own message is shown too).
REASONS = {
    sqlite3.SQLITE_ATTACH: ("not_allowed", "ATTACH (and VACUUM INTO) would open or create another database file"),
    sqlite3.SQLITE_DETACH: ("not_allowed", "DETACH changes which databases this connection sees"),
    sqlite3.SQLITE_PRAGMA: ("not_allowed", "this PRAGMA could change how the database works (only a few read-only PRAGMAs are allowed)"),
    sqlite3.SQLITE_FUNCTION: ("not_allowed", "loading extensions (native code) into the database is switched off"),
}


class SqliteSession:
    def __init__(self, path, time_limit_ms):
        self.time_limit = time_limit_ms / 1000
        self.denied = None
        self.deadline = None
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                    timeout=self.time_limit)
        self.conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        self.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000)
        self.conn.set_authorizer(self._authorize)
        self.conn.set_progress_handler(self._too_long, 50_000)  # rare checks: each one takes the GIL

    def _authorize(self, action, arg1, arg2, db_name, source):
        if action in ALLOWED:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in DENIED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        self.denied = REASONS.get(action, ("read_only", "this connection may only read"))
        return sqlite3.SQLITE_DENY

    def _too_long(self):
        return 1 if self.deadline and time.monotonic() > self.deadline else 0

    def execute(self, sql, params, row_cap):
        self.denied, self.deadline = None, time.monotonic() + self.time_limit
        try:
            cursor = self.conn.execute(sql, params or {})
            rows = cursor.fetchmany(row_cap + 1)
        except (sqlite3.Error, sqlite3.Warning) as exc:
            raise self._failure(exc) from None
        finally:
            self.deadline = None
        columns = [d[0] for d in cursor.description or ()]
        return columns, rows[:row_cap], len(rows) > row_cap

    def _failure(self, exc):
        message = str(exc)
        if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in message:
            return Failure("stacked", message)
        if message == "interrupted":
            return Failure("too_slow", "interrupted")
        if self.denied:
            return Failure(self.denied[0], message, self.denied[1])
        if "readonly database" in message:
            return Failure("read_only", message)
        return Failure("sql_error", message)

    def close(self):
        self.conn.close()
