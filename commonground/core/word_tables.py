"""The tables of words a text search of a common word reads its pages from, made and removed by migrations: SQLite's
head table (`core.word_heads`) and PostgreSQL's word table (`core.textsearch.word_table_sql`), of one searched table.

The resources (`resources.spatial`) and the organizations (`registry.search`) each name theirs in a `WordTables`,
whose methods are the migrations' `RunPython` functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .textsearch import run_for_engine, word_table_drop_sql, word_table_sql
from .word_heads import head_table_drop_sql, head_table_sql

# The tables of words each searched table's triggers keep beside it: written with it, though no statement names
# them (`core.importing.analyze` analyses them with it).
KEPT_BESIDE: dict[str, tuple[str, ...]] = {}


@dataclass(frozen=True)
class WordTables:
    table: str  # the searched table
    text_table: str  # its FTS5 table (SQLite)
    columns: tuple[str, ...]  # the FTS5 table's columns, in its order
    tokenize: str  # the FTS5 table's tokenizer
    head_table: str  # SQLite's head table
    word_table: str  # PostgreSQL's word table
    tsvector_column: str  # the stored tsvector the word table's words come from (PostgreSQL)

    def __post_init__(self):
        KEPT_BESIDE[self.table] = (self.head_table, self.word_table)

    def add_head_table(self, apps, schema_editor) -> None:
        """On SQLite, the head table, filled from the FTS5 table (made again if there)."""
        run_for_engine(
            schema_editor,
            sqlite=[
                *head_table_drop_sql(self.table, self.head_table),
                *head_table_sql(self.table, self.head_table, self.text_table, self.tokenize, self.columns),
            ],
            postgresql=[],
        )

    def drop_head_table(self, apps, schema_editor) -> None:
        run_for_engine(schema_editor, sqlite=head_table_drop_sql(self.table, self.head_table), postgresql=[])

    def refill_head_table(self, apps, schema_editor) -> None:
        """After a migration rebuilt the searched table on SQLite: the head table again, where a later migration
        than the rebuilding one has made it, filled anew from the rows."""
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [self.head_table])
            if cursor.fetchone():
                self.add_head_table(apps, schema_editor)

    def add_word_table(self, apps, schema_editor) -> None:
        """On PostgreSQL, the word table, filled from the rows."""
        run_for_engine(
            schema_editor,
            sqlite=[],
            postgresql=word_table_sql(self.table, self.word_table, self.tsvector_column),
        )

    def drop_word_table(self, apps, schema_editor) -> None:
        run_for_engine(schema_editor, sqlite=[], postgresql=word_table_drop_sql(self.table, self.word_table))
