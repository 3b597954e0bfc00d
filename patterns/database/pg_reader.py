"""Reporting's connection to Shop's PostgreSQL database: read-only in fact.

Reporting logs in as its own role, `playground_reporting`, which owns nothing and was granted
SELECT only. On top of that every transaction is read-only (the role's default, the connection's
options and psycopg's `read_only`), and a statement timeout stops runaway queries. A fresh
connection per use means no `SET` a learner runs can outlive its own statement (set_config() in
the statement itself does not lift the timeout already running). The timeout is checked between
steps, though: format('%200000000s', 'x') or replace() over a huge text runs seconds past it, and
the console's lane stops waiting for those (lane.py). Values over 1 GB PostgreSQL refuses itself.

A SELECT is read through a server-side cursor, a few rows at a time, until the row cap or
RESULT_BYTES: `SELECT repeat('x', 1e6) FROM generate_series(1, 5000)` would otherwise send this
process about a gigabyte before the timeout. Statements a cursor cannot hold (SHOW, EXPLAIN, SET, a
write hidden in WITH) run plainly; their answers are small, or refused.
"""

import hashlib
import hmac
import re
import threading
from contextlib import suppress

import psycopg
from django.conf import settings
from psycopg import errors, sql

from .failures import Failure

ROLE = "playground_reporting"
RESULT_BYTES = 4_000_000  # of text and bytes read back, roughly at most
BATCH = 20  # rows per fetch from the cursor
_ready, _lock = set(), threading.Lock()
KINDS = {  # SQLSTATE -> why it failed
    errors.ReadOnlySqlTransaction: "read_only",
    errors.InsufficientPrivilege: "not_allowed",
    errors.QueryCanceled: "too_slow",
    errors.ProgramLimitExceeded: "too_big",  # repeat('x', 2e9), lpad('x', 2e9): one value is at most 1 GB
}
REASONS = {
    "not_allowed": "this connection's role was only granted SELECT on Shop's tables",
    "too_big": "1 GB (PostgreSQL's own limit)",
}


def _password():
    # Derived, not stored: every process of the playground computes the same one.
    return hmac.new(settings.SECRET_KEY.encode(), b"reporting-role", hashlib.sha256).hexdigest()[
        :32
    ]


def _admin(db):
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        connect_timeout=5,
    )


def ensure_role(db):
    """Create the read-only role (idempotent) and let it read this database's tables."""
    with _lock:
        if db["NAME"] in _ready:
            return
        try:
            _set_up(db)
        except (
            errors.InternalError,
            errors.UniqueViolation,
            errors.DuplicateObject,
        ):  # raced by another database's setup
            _set_up(db)
        _ready.add(db["NAME"])


def _set_up(db):
    with _admin(db) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(7310016)")  # one setter at a time
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if not cur.fetchone():
            cur.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                ).format(sql.Identifier(ROLE))
            )
        role = sql.Identifier(ROLE)
        for statement in [
            sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD {}").format(role, sql.Literal(_password())),
            sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role),
            sql.SQL("ALTER ROLE {} SET statement_timeout = '5s'").format(role),
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(db["NAME"]), role),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(role),
            # Tables Shop creates later (a split table) are readable too: the typical reporting grant.
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {}"
            ).format(role),
        ]:
            cur.execute(statement)


class PostgresSession:
    def __init__(self, db, time_limit_ms):
        try:
            ensure_role(db)
            self.conn = psycopg.connect(
                host=db["HOST"] or None,
                port=db["PORT"] or None,
                dbname=db["NAME"],
                user=ROLE,
                password=_password(),
                connect_timeout=5,
                options=f"-c default_transaction_read_only=on -c statement_timeout={int(time_limit_ms)}",
            )
        except psycopg.Error as exc:
            raise Failure("unavailable", str(exc).strip()) from None
        self.conn.read_only = True

    def execute(self, text, params, row_cap):
        if params:  # named :params -> psycopg's %(name)s; a literal % must then be doubled
            text = _pyformat(text)
        try:
            return self._read(text, params or None, row_cap)
        except psycopg.Error as exc:
            raise self._failure(exc) from None
        finally:
            with suppress(psycopg.Error):  # the connection is closed next either way
                self.conn.rollback()  # read-only anyway; never leave a transaction open

    def _read(self, text, params, row_cap):
        try:
            with self.conn.cursor(name="console") as cur:
                cur.execute(text, params)
                return [d.name for d in cur.description or ()], *_first_rows(cur, row_cap)
        except (
            errors.SyntaxError,
            errors.FeatureNotSupported,
        ):  # not a statement a cursor can hold
            self.conn.rollback()
        with self.conn.cursor() as cur:
            cur.execute(text, params)
            rows = cur.fetchmany(row_cap + 1) if cur.description else []
            return [d.name for d in cur.description or ()], rows[:row_cap], len(rows) > row_cap

    def _failure(self, exc):
        message = (exc.diag.message_primary or str(exc)).strip()
        if "multiple commands" in message:
            return Failure("stacked", message)
        kind = next((k for cls, k in KINDS.items() if isinstance(exc, cls)), "sql_error")
        return Failure(kind, message, REASONS.get(kind, ""))

    def close(self):
        self.conn.close()


def _first_rows(cur, row_cap):
    """Up to row_cap rows, fewer once RESULT_BYTES are read, and whether any were left unread."""
    rows, size = [], 0
    while len(rows) <= row_cap and size <= RESULT_BYTES:
        batch = cur.fetchmany(min(BATCH, row_cap + 1 - len(rows)))
        if not batch:
            return rows, False
        rows += batch
        size += sum(len(v) for row in batch for v in row if isinstance(v, (str, bytes)))
    return rows[:row_cap], True


def _pyformat(text):
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", text.replace("%", "%%"))
