"""The text index of organizations: their name, city and ZIP code, searched word by word on both engines.

SQLite keeps the words in an FTS5 table, in step with the organization table by triggers; PostgreSQL in
a stored, generated tsvector column with its GIN index. A search matches the organizations holding every
word of it as the start of a word of their name, city or ZIP code: for ordinary words, what the `icontains`
search it replaced found, from the index instead of a scan of every row.

Mind the triggers on SQLite: a migration that makes Django rebuild the organization table drops them with
the old table; such a migration must call `restore_sqlite_index` (tests/test_search.py fails if they are
missing). On PostgreSQL, drop the column before changing the type of `name`, `city` or `zip_code`.

A search of a common word reads its page from a table of the words in name order (SQLite's `HEAD_TABLE`,
`core.word_heads`; PostgreSQL's `WORD_TABLE`, `core.textsearch.words_first`): a page's worth of matches, not every
match sorted ("fire" matched 2,305 of 100,000 organizations, and reading and sorting them cost the list API 3-3.7x
its root).
"""

from __future__ import annotations

from django.db import connection, connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat

from commonground.core.counting import short_bound
from commonground.core.textsearch import (
    many_words,
    run_for_engine,
    text_terms,
    words_first,
    words_match,
)
from commonground.core.word_heads import common_search, head_search, many_matches
from commonground.core.word_tables import WordTables

TABLE = "registry_organization"
TEXT_TABLE = "registry_organization_text"
TEXT_COLUMN = "search_text"
COLUMNS = "name, city, zip_code"
TOKENIZE = "unicode61 remove_diacritics 2"
HEAD_TABLE = "registry_organization_head"
WORD_TABLE = "registry_organization_word"

SQLITE_INDEX = [
    f"""CREATE VIRTUAL TABLE {TEXT_TABLE} USING fts5({COLUMNS}, content='{TABLE}', content_rowid='id',
        tokenize='{TOKENIZE}')""",
    f"""CREATE TRIGGER registry_organization_text_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {TEXT_TABLE}(rowid, {COLUMNS}) VALUES (new.id, new.name, new.city, new.zip_code); END""",
    f"""CREATE TRIGGER registry_organization_text_update AFTER UPDATE OF {COLUMNS} ON {TABLE} BEGIN
        INSERT INTO {TEXT_TABLE}({TEXT_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.name, old.city, old.zip_code);
        INSERT INTO {TEXT_TABLE}(rowid, {COLUMNS}) VALUES (new.id, new.name, new.city, new.zip_code); END""",
    f"""CREATE TRIGGER registry_organization_text_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {TEXT_TABLE}({TEXT_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.name, old.city, old.zip_code); END""",
    f"INSERT INTO {TEXT_TABLE}({TEXT_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS registry_organization_text_insert",
    "DROP TRIGGER IF EXISTS registry_organization_text_update",
    "DROP TRIGGER IF EXISTS registry_organization_text_delete",
    f"DROP TABLE IF EXISTS {TEXT_TABLE}",
]
# A ZIP+4 code's hyphen would make PostgreSQL's parser keep "-6789" as a signed number: a space instead.
POSTGRES_TEXT = "to_tsvector('simple', name || ' ' || city || ' ' || replace(zip_code, '-', ' '))"
POSTGRES_INDEX = [
    f"ALTER TABLE {TABLE} ADD COLUMN {TEXT_COLUMN} tsvector GENERATED ALWAYS AS ({POSTGRES_TEXT}) STORED",
    f"CREATE INDEX organization_search_text_gin ON {TABLE} USING gin ({TEXT_COLUMN})",
]
POSTGRES_DROP = [f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {TEXT_COLUMN}"]
# The columns of the organization list's indexes: an order on them that PostgreSQL would walk.
INDEXED = {"name"}


def add_text_index(apps, schema_editor) -> None:
    run_for_engine(schema_editor, sqlite=SQLITE_INDEX, postgresql=POSTGRES_INDEX)


def drop_text_index(apps, schema_editor) -> None:
    run_for_engine(schema_editor, sqlite=SQLITE_DROP, postgresql=POSTGRES_DROP)


# The tables of words a search of a common word reads its pages from (`core.word_tables`): their migrations'
# functions.
WORDS = WordTables(
    table=TABLE,
    text_table=TEXT_TABLE,
    columns=tuple(column.strip() for column in COLUMNS.split(",")),
    tokenize=TOKENIZE,
    head_table=HEAD_TABLE,
    word_table=WORD_TABLE,
    tsvector_column=TEXT_COLUMN,
)
add_word_table, drop_word_table = WORDS.add_word_table, WORDS.drop_word_table
add_head_table, drop_head_table = WORDS.add_head_table, WORDS.drop_head_table


def restore_sqlite_index(apps, schema_editor) -> None:
    """After a migration rebuilt the organization table on SQLite: the indexes again, filled from the rows."""
    if schema_editor.connection.vendor == "sqlite":
        drop_text_index(apps, schema_editor)
        add_text_index(apps, schema_editor)
        WORDS.refill_head_table(apps, schema_editor)


def matches_text(text: str) -> Q | None:
    """Return the condition that an organization's name, city or ZIP code holds every word (as a prefix).

    None when the search has no word at all (only punctuation): the caller keeps its plain search then.
    """
    terms = text_terms(text)
    if not terms:
        return None
    return words_match(TABLE, fts_table=TEXT_TABLE, tsvector_column=TEXT_COLUMN, terms=terms)


def text_search(queryset: QuerySet, text: str) -> QuerySet | None:
    """Return the organizations of the list whose name, city or ZIP code holds every word (as a prefix); None when
    the search has no word at all (`matches_text`).

    A search of plain words, each of which matches more rows than a short list holds (`common_search`), reads its
    pages in name order from a table of the words (`core.textsearch.words_first`): SQLite's head table
    (`HEAD_TABLE`, for a search with a word at least a start long: `core.word_heads.head_search`) or
    PostgreSQL's word table (`WORD_TABLE`), and its count and any other order from the text index. Any other
    search reads the text index's matches first (`match_first`, which the filter set applies): a short list is
    read whole (`core.counting.read_whole`)."""
    terms = text_terms(text)
    if not terms:
        return None
    using, bound = queryset.db, short_bound()
    if connections[using].vendor == "sqlite":
        if head_search(terms) and common_search(
            (using, HEAD_TABLE, tuple(terms), bound), lambda: many_matches(TEXT_TABLE, terms, bound, using)
        ):
            return words_first(
                queryset,
                words_table=HEAD_TABLE,
                tsvector_column=TEXT_COLUMN,
                terms=terms,
                fts_table=TEXT_TABLE,
            )
    elif common_search(
        (using, WORD_TABLE, tuple(terms), bound), lambda: many_words(WORD_TABLE, terms, bound, using)
    ):
        return words_first(queryset, words_table=WORD_TABLE, tsvector_column=TEXT_COLUMN, terms=terms)
    return queryset.filter(matches_text(text))


def match_first(queryset: QuerySet) -> QuerySet:
    """Return a text search in its order, read so that PostgreSQL runs the match first.

    Given the order of an index (the name's), PostgreSQL walks it and tests each row for the words,
    since where the matches fall in name order is beyond its statistics. The same order as an
    expression no index holds leaves it the GIN index, then a sort of the matches. SQLite answers
    the FTS5 match first already.
    """
    if connection.vendor != "postgresql":
        return queryset
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    rewritten = []
    for term in ordering:
        if isinstance(term, str) and term.lstrip("-") in INDEXED:
            expression = Concat(F(term.lstrip("-")), Value(""))
            rewritten.append(expression.desc() if term.startswith("-") else expression.asc())
        else:
            rewritten.append(term)
    return queryset.order_by(*rewritten)
