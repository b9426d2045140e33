"""What a table of words holds, beside what it should hold, for the tests of the resources' and the organizations'
(`core.word_heads`, `core.textsearch.word_table_sql`)."""

from __future__ import annotations

from django.db import connection

from commonground.core.word_heads import HEAD_LENGTH


def head_rows(head_table: str, text_table: str, table: str) -> tuple[list, list]:
    """SQLite: the head table's rows (their words as a set), and the rows it should hold, from the FTS5 table's
    own words."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT head, name, row_id, words FROM {head_table}")
        kept = sorted(
            (head, name, key, frozenset(words.split())) for head, name, key, words in cursor.fetchall()
        )
        cursor.execute(
            f"CREATE VIRTUAL TABLE temp.expected_words USING fts5vocab(main, {text_table}, instance)"
        )
        cursor.execute(
            f"SELECT DISTINCT v.term, t.name, t.id FROM temp.expected_words v JOIN {table} t ON t.id = v.doc"
        )
        words = cursor.fetchall()
        cursor.execute("DROP TABLE temp.expected_words")
    grouped: dict[tuple, set] = {}
    for term, name, key in words:
        if len(term) >= HEAD_LENGTH:
            grouped.setdefault((term[:HEAD_LENGTH], name, key), set()).add(term)
    return kept, sorted((*group, frozenset(terms)) for group, terms in grouped.items())


def word_rows(word_table: str, table: str, tsvector_column: str) -> tuple[list, list]:
    """PostgreSQL: the word table's rows, and the rows it should hold, from each row's stored tsvector."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, name, row_id FROM {word_table}")
        kept = sorted(cursor.fetchall())
        cursor.execute(f"SELECT w.lexeme, t.name, t.id FROM {table} t, unnest(t.{tsvector_column}) w")
        return kept, sorted(cursor.fetchall())
