"""SQLite's head table: a text search's matches in name order, for a search of a common word.

An FTS5 table yields its matches in key order. A page of a search in name order read every match, then each
match's row for its name and the reader's conditions, then sorted them all: "generator" read 4,912 rows at
100,000 resources for a page of 25 (3 ms, most of the request). The head table holds, for each row and each
start (`HEAD_LENGTH` letters) of its words, the row's name and key and its words of that start, in an index in
start, name and key order. A search for a word at least as long reads the rows of its start in name order,
keeps those holding a word that starts with the term (the words, read from the index), and stops when the page
is full: 25 rows, not 4,912.

Its words are FTS5's own: each row's text goes through a scratch FTS5 table of the same tokenizer, whose
vocabulary the triggers read, so the head table and the FTS5 table never disagree on what a word is. PostgreSQL
has its own word table (`core.textsearch.word_table_sql`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connections

from .kept import Kept
from .textsearch import RANGED_TERM, fts5_prefix_query

HEAD_LENGTH = 4


def head_table_sql(
    table: str,
    heads_table: str,
    fts_table: str,
    tokenize: str,
    columns: tuple[str, ...] = ("name", "description"),
) -> list[str]:
    """Return the statements that make a head table of `table` (SQLite), filled from the FTS5 table's words and
    kept in step with the rows by triggers on insert, delete, and an update of one of `columns` (the FTS5 table's,
    in its order)."""
    scratch, terms = f"{heads_table}_scratch", f"{heads_table}_scratch_terms"
    start = f"substr(term, 1, {HEAD_LENGTH})"
    listed = ", ".join(columns)
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in columns)

    def add(row: str) -> str:
        values = ", ".join(f"{row}.{column}" for column in columns)
        return (
            f"INSERT INTO {scratch}(rowid, {listed}) VALUES ({row}.id, {values}); "
            f"INSERT INTO {heads_table} (head, name, row_id, words) SELECT {start}, {row}.name, {row}.id, "
            f"' ' || group_concat(term, ' ') FROM {terms} WHERE length(term) >= {HEAD_LENGTH} GROUP BY {start}; "
            f"INSERT INTO {scratch}({scratch}) VALUES ('delete-all');"
        )

    def remove(row: str) -> str:
        return f"DELETE FROM {heads_table} WHERE row_id = {row}.id;"

    return [
        f"CREATE TABLE {heads_table} (head TEXT NOT NULL, name TEXT NOT NULL, row_id INTEGER NOT NULL, "
        "words TEXT NOT NULL, PRIMARY KEY (head, name, row_id)) WITHOUT ROWID",
        f"CREATE INDEX {heads_table}_row ON {heads_table} (row_id)",
        f"CREATE VIRTUAL TABLE {scratch} USING fts5({listed}, content='', detail=none, tokenize='{tokenize}')",
        f"CREATE VIRTUAL TABLE {terms} USING fts5vocab({scratch}, row)",
        f"CREATE VIRTUAL TABLE temp.{heads_table}_fill USING fts5vocab(main, {fts_table}, instance)",
        f"INSERT INTO {heads_table} (head, name, row_id, words) "
        f"SELECT {start}, t.name, t.id, ' ' || group_concat(term, ' ') "
        f"FROM (SELECT DISTINCT doc, term FROM temp.{heads_table}_fill WHERE length(term) >= {HEAD_LENGTH}) v "
        f"JOIN {table} t ON t.id = v.doc GROUP BY v.doc, {start}",
        f"DROP TABLE temp.{heads_table}_fill",
        f"CREATE TRIGGER {heads_table}_insert AFTER INSERT ON {table} BEGIN {add('new')} END",
        f"""CREATE TRIGGER {heads_table}_update AFTER UPDATE OF {listed} ON {table} WHEN {changed}
            BEGIN {remove("old")} {add("new")} END""",
        f"CREATE TRIGGER {heads_table}_delete AFTER DELETE ON {table} BEGIN {remove('old')} END",
        f"ANALYZE {heads_table}",
    ]


def head_table_drop_sql(table: str, heads_table: str) -> list[str]:
    """Return the statements that remove a head table, its triggers and its scratch tables."""
    return [
        *(f"DROP TRIGGER IF EXISTS {heads_table}_{event}" for event in ("insert", "update", "delete")),
        f"DROP TABLE IF EXISTS {heads_table}_scratch_terms",
        f"DROP TABLE IF EXISTS {heads_table}_scratch",
        f"DROP TABLE IF EXISTS {heads_table}",
    ]


def head_search(terms: list[str]) -> tuple[str, list[str]] | None:
    """The term a head table's rows are read for (the longest) and the others; None where the search is not
    one it answers: a term not of plain letters and digits (`RANGED_TERM`), or every term shorter than a start."""
    if not terms or not all(RANGED_TERM.fullmatch(term) for term in terms):
        return None
    leading = max(terms, key=len)
    if len(leading) < HEAD_LENGTH:
        return None
    others = list(terms)
    others.remove(leading)
    return leading, others


def many_matches(fts_table: str, terms: list[str], more_than: int, using: str) -> bool:
    """Whether the FTS5 table matches more than `more_than` rows for each term: more than a list read whole may
    hold. Each term's matches are read to one past the bound."""
    with connections[using].cursor() as cursor:
        for term in terms:
            cursor.execute(
                f"SELECT 1 FROM {fts_table} WHERE {fts_table} MATCH %s LIMIT 1 OFFSET %s",
                [fts5_prefix_query([term]), more_than],
            )
            if cursor.fetchone() is None:
                return False
    return True


# How long a search's words are taken as common (or not) once found so (`common_search`).
COMMON_SEARCH_SECONDS = 60
# Whether a search's words were common, by what was asked (database, table, terms, bound): (when, found).
_common: Kept[tuple[float, bool]] = Kept(1_000)


def common_search(key: tuple, decide: Callable[[], bool]) -> bool:
    """Return `decide()` (whether a search's words each match more rows than a short list holds: `many_matches`,
    `core.textsearch.many_words`), asked once a while for each `key`, not on every request: the answer chooses how
    a list's rows are read (a head or word table, or the text index), never which rows."""
    found = _common.get_or_build(key, lambda: (time.monotonic(), decide()))
    if time.monotonic() - found[0] > COMMON_SEARCH_SECONDS:
        _common.discard(key)
        found = _common.get_or_build(key, lambda: (time.monotonic(), decide()))
    return found[1]


def forget_common_searches() -> None:
    """Drop every kept answer (the tests do, between tests)."""
    _common.clear()


def heads_from_sql(
    row_table: str, alias: str, found: str, heads_table: str, fts_table: str, leading: str, others: tuple
) -> tuple[str, list]:
    """The FROM clause of a search read from the head table: its rows of the leading term's start holding a word
    that starts with it (and with each other term), each joined to its row (`row_table`, named `alias`) by key,
    in name and key order. The CROSS JOIN keeps the head table the outer loop (SQLite never reorders one), so
    the index's order is the query's and a page stops at its last row."""
    conditions = [f"{alias}.id = {found}.row_id", f"{found}.head = %s", f"instr({found}.words, %s) > 0"]
    params: list = [leading[:HEAD_LENGTH], f" {leading}"]
    for term in others:
        if len(term) >= HEAD_LENGTH:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {heads_table} other WHERE other.head = %s AND other.name = {found}.name "
                f"AND other.row_id = {found}.row_id AND instr(other.words, %s) > 0)"
            )
            params += [term[:HEAD_LENGTH], f" {term}"]
        else:
            conditions.append(f"{found}.row_id IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s)")
            params.append(fts5_prefix_query([term]))
    return f"{heads_table} {found} CROSS JOIN {row_table} ON {' AND '.join(conditions)}", params
