"""Counting statements the way a database does: semicolons in quotes or comments do not count."""

import pytest

from patterns.database.statements import count, first_word


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("SELECT 1", 1),
        ("SELECT 1;", 1),
        ("SELECT 1; DROP TABLE orders", 2),
        ("1; DROP TABLE orders", 2),
        ("SELECT ';'", 1),
        ("SELECT 'it''s; fine'", 1),
        ('SELECT ";" FROM t', 1),
        ("SELECT 1 -- ; DROP", 1),
        ("SELECT /* ; */ 1", 1),
        ("SELECT $$ ; $$", 1),
        ("SELECT $x$ ; $x$", 1),
        ("", 0),
        (" ; ; ", 0),
        ("SELECT 'a'; SELECT 'b'", 2),
        ("SELECT 1 /* never closed ; ", 1),
    ],
)
def test_statements_are_counted_like_a_database_counts_them(sql, expected):
    assert count(sql) == expected


def test_the_first_keyword_names_what_a_statement_would_do():
    assert first_word("  /* hi */ insert into x values (1)") == "INSERT"
    assert first_word("-- nothing") == ""
