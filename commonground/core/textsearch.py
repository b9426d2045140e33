"""The words of a free-text search, and the queries the text indexes of SQLite (FTS5) and PostgreSQL read."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)


def text_terms(text: str) -> list[str]:
    """Return the words of a search, without any operator the text engines would read as syntax."""
    return WORD.findall(text.lower())[:12]


def fts5_prefix_query(terms: list[str]) -> str:
    """Return an FTS5 query for rows holding every term as the start of a word."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_prefix(terms: list[str]) -> str:
    """Return a to_tsquery('simple', ...) text for rows holding every term as the start of a word."""
    return " & ".join(f"{term}:*" for term in terms)


def words_match(table: str, *, fts_table: str, tsvector_column: str, terms: list[str]) -> Q:
    """Return the condition that a row of `table` holds every term as the start of a word: its rowid in the
    FTS5 table's matches on SQLite, its stored tsvector matching on PostgreSQL."""
    if connection.vendor == "sqlite":
        sql = f'"{table}"."id" IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s)'
        return Q(RawSQL(sql, (fts5_prefix_query(terms),), output_field=BooleanField()))
    sql = f'"{table}"."{tsvector_column}" @@ to_tsquery(\'simple\', %s)'
    return Q(RawSQL(sql, (tsquery_prefix(terms),), output_field=BooleanField()))


def run_for_engine(schema_editor, *, sqlite: list[str], postgresql: list[str]) -> None:
    """Run, in a migration, the statements written for the engine being migrated."""
    for statement in sqlite if schema_editor.connection.vendor == "sqlite" else postgresql:
        schema_editor.execute(statement)
