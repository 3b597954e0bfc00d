"""How many SQL statements a text holds, counted the way a database would: semicolons inside
quotes or comments do not count. The console runs exactly one; `1; DROP TABLE orders` is the
classic way injection smuggles a second command in, so it is refused before it reaches a driver
(and the drivers would refuse it too: sqlite3 and PostgreSQL's extended protocol take one)."""

import re

# Quoted text and comments, in the order a scanner meets them. $tag$…$tag$ is PostgreSQL's.
_SKIP = re.compile(
    r"""
      '(?:[^']|'')*'?          # 'string', '' escapes a quote
    | "(?:[^"]|"")*"?          # "identifier"
    | `[^`]*`?                 # `identifier` (SQLite accepts MySQL's quotes)
    | --[^\n]*                 # -- comment to the end of the line
    | /\*.*?(?:\*/|\Z)         # /* block comment */
    | \$(?P<tag>[A-Za-z_]*)\$.*?(?:\$(?P=tag)\$|\Z)   # $$ dollar quoting $$
""",
    re.VERBOSE | re.DOTALL,
)


def _code_only(sql):
    """The SQL with quoted text and comments blanked out (semicolons in them no longer count)."""
    return _SKIP.sub(lambda m: " " if m.group(0).startswith(("--", "/*")) else "''", sql)


def count(sql):
    """The number of non-empty statements in `sql`."""
    return sum(1 for part in _code_only(sql).split(";") if part.strip())


def first_word(sql):
    """The statement's first keyword, upper-cased ('' if none): for the lesson's wording."""
    match = re.search(r"[A-Za-z]+", _code_only(sql))
    return match.group(0).upper() if match else ""
