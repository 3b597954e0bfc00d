"""Reporting's connection to Shop's SQLite file: read-only in fact, in three independent ways.

1. The file is opened with `mode=ro`: SQLite itself refuses to write it.
2. An authorizer (SQLite calls it while preparing every statement) allows reading and nothing
   else: no writes, no ATTACH (which would create a file), no VACUUM INTO (a copy on disk), no
   PRAGMA that changes anything, no load_extension() — and no printf(), whose one call can run
   for many seconds (see DENIED_FUNCTIONS).
3. Limits: no attached databases at all, values of at most 64 KB, and a watchdog that interrupts
   any statement at its time limit.

No single step may run long either. SQLite checks for an interrupt between the steps of its
virtual machine, and one step is one function call; a few built-in functions take time
proportional to the product of their arguments' lengths (replace(), instr(), trim() with a long
character list, LIKE with a long pattern), so the length limits keep their worst case to a
fraction of a second.
"""

import sqlite3
import threading
from pathlib import Path

from . import watchdog
from .failures import Failure

ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
READ_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "collation_list",
    "function_list",
}
_STALLS = (
    "it can be asked for a width or precision of billions (printf('%.*c', 2000000000, 'x')), and SQLite "
    "builds that text in one step that no time limit can interrupt; round() and || format values instead"
)
DENIED_FUNCTIONS = {  # name -> why it is switched off, in a learner's words
    "load_extension": "load_extension() would load native code into the database",
    "fts3_tokenizer": "fts3_tokenizer() can hand the database a pointer to native code",
    "readfile": "readfile() would read a file on the server's disk",
    "writefile": "writefile() would write a file on the server's disk",
    "edit": "edit() would start an editor on the server",
    "printf": f"printf() is switched off here: {_STALLS}",
    "format": f"format() (printf() by another name) is switched off here: {_STALLS}",
}
VALUE_LIMIT = 64_000  # bytes in one value or row: Shop's rows are far smaller
LIMITS = {
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
    sqlite3.SQLITE_LIMIT_LENGTH: VALUE_LIMIT,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 1_000,
}
# Why an action was refused, in a learner's words (the database's own message is shown too).
REASONS = {
    sqlite3.SQLITE_ATTACH: (
        "not_allowed",
        "ATTACH (and VACUUM INTO) would open or create another database file",
    ),
    sqlite3.SQLITE_DETACH: ("not_allowed", "DETACH changes which databases this connection sees"),
    sqlite3.SQLITE_PRAGMA: (
        "not_allowed",
        "this PRAGMA could change how the database works (only a few read-only PRAGMAs are allowed)",
    ),
}


class SqliteSession:
    def __init__(self, path, time_limit_ms):
        self.time_limit = time_limit_ms / 1000
        self.denied = None
        self._open = threading.Lock()  # the watchdog's interrupt never meets a closing connection
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        self.conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=self.time_limit
        )
        for limit, value in LIMITS.items():
            self.conn.setlimit(limit, value)
        self.conn.set_authorizer(self._authorize)

    def _authorize(self, action, arg1, arg2, db_name, source):
        if action in ALLOWED:
            return sqlite3.SQLITE_OK
        function = (arg2 or "").lower() if action == sqlite3.SQLITE_FUNCTION else None
        if function is not None and function not in DENIED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        self.denied = (
            ("not_allowed", DENIED_FUNCTIONS[function])
            if function
            else REASONS.get(action, ("read_only", "this connection may only read"))
        )
        return sqlite3.SQLITE_DENY

    def execute(self, sql, params, row_cap):
        # A watchdog, not a progress handler: SQLite stops at its next step without calling back
        # into Python (a handler takes the GIL from the web server on every check).
        self.denied = None
        try:
            with watchdog.deadline(self.time_limit, self._interrupt):
                cursor = self.conn.execute(sql, params or {})
                rows = cursor.fetchmany(row_cap + 1)
        except (sqlite3.Error, sqlite3.Warning) as exc:
            raise self._failure(exc) from None
        columns = [d[0] for d in cursor.description or ()]
        return columns, rows[:row_cap], len(rows) > row_cap

    def _interrupt(self):
        with self._open:
            if self.conn is not None:
                self.conn.interrupt()

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
        if "too big" in message:
            return Failure("too_big", message, f"{VALUE_LIMIT // 1000} KB")
        return Failure("sql_error", message)

    def close(self):
        with self._open:
            conn, self.conn = self.conn, None
            conn.close()
