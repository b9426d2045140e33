"""The words of a free-text search, and the queries the text indexes of SQLite (FTS5) and PostgreSQL read.

On PostgreSQL a table's words may also be kept in a word table (`word_table_sql`): one row per word of each row,
with the row's name and key, in a btree ordered by word, name and key. A search in the list's name order reads
its matches' names and keys from that index alone (`words_first`), sorts them, and looks up each row by key until
a page is full. The tsvector's GIN index gives only the matches' places in the table: every matching row was read
to sort by name and test the reader's conditions (2,061 pages of 5,413 for "generator" at 100,000 resources).
"""

from __future__ import annotations

import re

from django.core.exceptions import FullResultSet
from django.db import connection, connections
from django.db.models import BigIntegerField, BooleanField, Expression, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.sql.datastructures import BaseTable

WORD = re.compile(r"\w+", re.UNICODE)
# A term a word table answers by a range of its words' bytes: lowercase ASCII letters and digits, which
# PostgreSQL's parser reads as one word and the 'simple' configuration keeps as it is. Any other term (an accent,
# an underscore, which the parser splits at) is left to the tsvector and its GIN index.
RANGED_TERM = re.compile(r"[a-z0-9]+")


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


def word_ranges(terms: list[str]) -> list[tuple[str, str]] | None:
    """Return, for each term, the range of words that start with it (from the term to the first string past
    every word that does); None where a term is not one a word table answers (`RANGED_TERM`)."""
    if not terms or not all(RANGED_TERM.fullmatch(term) for term in terms):
        return None
    return [(term, term[:-1] + chr(ord(term[-1]) + 1)) for term in terms]


def word_table_sql(table: str, words_table: str, tsvector_column: str) -> list[str]:
    """Return the statements that make a word table of `table` (PostgreSQL): one row per word of the stored
    tsvector of each row (`word`, in byte order), with the row's `name` and key (`row_id`), filled from the rows
    and kept in step with them by triggers on insert, delete and truncate (of each statement's rows) and on an
    update of the name or words (of each row whose name or words changed)."""
    added, removed = f"{words_table}_added", f"{words_table}_removed"
    changed, emptied = f"{words_table}_changed", f"{words_table}_emptied"
    return [
        f'CREATE TABLE {words_table} (word text COLLATE "C" NOT NULL, name text NOT NULL, row_id bigint NOT NULL)',
        f"INSERT INTO {words_table} (word, name, row_id) "
        f"SELECT w.lexeme, t.name, t.id FROM {table} t, unnest(t.{tsvector_column}) w",
        f"CREATE INDEX {words_table}_order ON {words_table} (word, name, row_id)",
        f"""CREATE FUNCTION {added}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO {words_table} (word, name, row_id)
            SELECT w.lexeme, a.name, a.id FROM added a, unnest(a.{tsvector_column}) w;
            RETURN NULL; END $$""",
        f"""CREATE TRIGGER {added} AFTER INSERT ON {table} REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION {added}()""",
        f"""CREATE FUNCTION {removed}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            DELETE FROM {words_table} k USING (
                SELECT w.lexeme, r.name, r.id FROM removed r, unnest(r.{tsvector_column}) w
            ) gone WHERE k.word = gone.lexeme AND k.name = gone.name AND k.row_id = gone.id;
            RETURN NULL; END $$""",
        f"""CREATE TRIGGER {removed} AFTER DELETE ON {table} REFERENCING OLD TABLE AS removed
            FOR EACH STATEMENT EXECUTE FUNCTION {removed}()""",
        f"""CREATE FUNCTION {changed}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            DELETE FROM {words_table}
            WHERE word IN (SELECT lexeme FROM unnest(OLD.{tsvector_column})) AND name = OLD.name AND row_id = OLD.id;
            INSERT INTO {words_table} (word, name, row_id)
            SELECT w.lexeme, NEW.name, NEW.id FROM unnest(NEW.{tsvector_column}) w;
            RETURN NULL; END $$""",
        f"""CREATE TRIGGER {changed} AFTER UPDATE OF name, {tsvector_column} ON {table} FOR EACH ROW
            WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.{tsvector_column} IS DISTINCT FROM NEW.{tsvector_column})
            EXECUTE FUNCTION {changed}()""",
        f"""CREATE FUNCTION {emptied}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            TRUNCATE {words_table}; RETURN NULL; END $$""",
        f"""CREATE TRIGGER {emptied} AFTER TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {emptied}()""",
        f"ANALYZE {words_table}",
    ]


def word_table_drop_sql(table: str, words_table: str) -> list[str]:
    """Return the statements that remove a word table, its triggers and their functions."""
    names = [f"{words_table}_{event}" for event in ("added", "removed", "changed", "emptied")]
    return [
        *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in names),
        *(f"DROP FUNCTION IF EXISTS {name}()" for name in names),
        f"DROP TABLE IF EXISTS {words_table}",
    ]


def many_words(words_table: str, terms: list[str], more_than: int, using: str) -> bool:
    """Whether the word table holds more than `more_than` rows for each term (`word_ranges`): more matches than
    a list read whole may hold. Each term's rows are counted to one past the bound, from the index alone."""
    ranges = word_ranges(terms)
    if ranges is None:
        return False
    with connections[using].cursor() as cursor:
        for low, high in ranges:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {words_table} WHERE word >= %s AND word < %s LIMIT %s) found",
                [low, high, more_than + 1],
            )
            if cursor.fetchone()[0] <= more_than:
                return False
    return True


def words_first(
    queryset: QuerySet, *, words_table: str, tsvector_column: str, terms: list[str], fts_table: str = ""
) -> QuerySet:
    """Return the rows of a list holding every term (`word_ranges`) as the start of a word, in name and key
    order, read from the word table where the query is in that order: PostgreSQL's word table, or SQLite's head
    table (`core.word_heads`, with `fts_table` its FTS5 table).

    Where the query is in this order (a page, or the keys of a short list), its matches are the word table's
    (`WordsFirst`), each row looked up by key in name order until the page is full; where it is not (a count,
    `exists()`, another order given later), the same rows are the stored tsvector's matches, through its GIN
    index (the FTS5 table's, on SQLite), as before (`WordsMatch`). Either way the list's own conditions (the
    reader's, the filters') are tested on each row of the table itself."""
    searched = queryset.filter(WordsMatch(tsvector_column, terms, fts_table=fts_table))
    query = searched.query
    alias = query.get_initial_alias()
    base = query.alias_map[alias]
    query.alias_map[alias] = WordsFirst(
        base.table_name, base.table_alias, words_table, terms, queryset.model._meta.pk.column, fts_table
    )
    return searched.order_by(WordsOrder(words_table, "name").asc(), WordsOrder(words_table, "row_id").asc())


def ordered_by_words(query) -> bool:
    """Whether a query is in the order of its word table's matches (`WordsOrder`): they are then read first."""
    return any(isinstance(getattr(term, "expression", term), WordsOrder) for term in query.order_by)


class WordsFirst(BaseTable):
    """A searched table in the FROM clause: in a query ordered by `WordsOrder`, the search's matches in the word
    table, each joined to its row by key, `(the distinct names and keys of the word table's rows of the first
    term [holding the other terms too]) found CROSS JOIN LATERAL (SELECT * FROM table WHERE key = found.row_id
    OFFSET 0) table`; in any other query the table itself.

    The longest term leads: the likeliest to be the rarest. Its rows are read in name and key order as two
    parts merged: those of the word itself, straight from the index (a whole word: "generator"), and those of
    the longer words it starts, sorted ("generators"; all of them for a part of a word: "gen"). The distinct
    (name, key) pairs then come in order (a row may hold two words that start with a term), and a page looks
    up its first rows and stops: "generator" read 30 of its 4,912 rows, where a sort of them all took 2 ms.
    Written as a lateral subquery, each row can only be looked up by key: as a join, PostgreSQL read every row
    of the table to hash it where a list of a few hundred matches was read whole (its cost model takes a lookup
    for a read from disk)."""

    def __init__(self, table_name, alias, words_table, terms, key_column, fts_table=""):
        super().__init__(table_name, alias)
        self.words_table = words_table
        self.terms = tuple(terms)
        self.key_column = key_column
        self.fts_table = fts_table

    @property
    def found_alias(self) -> str:
        return f"{self.table_alias}_found"

    def as_sql(self, compiler, connection):
        if not ordered_by_words(compiler.query):
            return super().as_sql(compiler, connection)
        if connection.vendor == "sqlite":
            return self._heads_sql(compiler, connection)
        (low, high), *others = sorted(word_ranges(list(self.terms)), key=lambda bounds: -len(bounds[0]))
        words = self.words_table
        holding = "".join(
            f" AND row_id IN (SELECT row_id FROM {words} WHERE word >= %s AND word < %s)" for _ in others
        )
        also = [bound for bounds in others for bound in bounds]
        found = (
            f"SELECT DISTINCT name, row_id FROM ("
            f"(SELECT name, row_id FROM {words} WHERE word = %s{holding} ORDER BY name, row_id) UNION ALL "
            f"(SELECT name, row_id FROM {words} WHERE word > %s AND word < %s{holding} ORDER BY name, row_id)"
            f") words"
        )
        params = [low, *also, low, high, *also]
        quote = connection.ops.quote_name
        found_alias = quote(self.found_alias)
        row = f"SELECT * FROM {quote(self.table_name)} WHERE {quote(self.key_column)} = {found_alias}.row_id OFFSET 0"
        alias = compiler.quote_name_unless_alias(self.table_alias)
        return f"({found}) {found_alias} CROSS JOIN LATERAL ({row}) {alias}", params

    def relabeled_clone(self, change_map):
        return self.__class__(
            self.table_name,
            change_map.get(self.table_alias, self.table_alias),
            self.words_table,
            self.terms,
            self.key_column,
            self.fts_table,
        )

    @property
    def identity(self):
        return (
            self.__class__,
            self.table_name,
            self.table_alias,
            self.words_table,
            self.terms,
            self.key_column,
            self.fts_table,
        )

    def _heads_sql(self, compiler, connection):
        """SQLite: the head table's rows of the leading term, each joined to its row (`core.word_heads`)."""
        from .word_heads import head_search, heads_from_sql

        leading, others = head_search(list(self.terms))
        quote = connection.ops.quote_name
        alias = compiler.quote_name_unless_alias(self.table_alias)
        row_table = (
            quote(self.table_name) if alias == quote(self.table_name) else f"{quote(self.table_name)} {alias}"
        )
        return heads_from_sql(
            row_table,
            alias,
            quote(self.found_alias),
            self.words_table,
            self.fts_table,
            leading,
            tuple(others),
        )


class WordsMatch(Expression):
    """The condition that a row holds every term as the start of a word: its stored tsvector matching (its GIN
    index; on SQLite, its key among the FTS5 table's matches), where the query is not in the order of its word
    table's matches; in that order the table is read from them (`WordsFirst`), the same rows, and the condition
    is left out."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, tsvector_column: str, terms, alias: str | None = None, fts_table: str = ""):
        super().__init__()
        self.tsvector_column, self.terms, self.alias, self.fts_table = (
            tsvector_column,
            tuple(terms),
            alias,
            fts_table,
        )

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        if query is not None and resolved.alias is None:
            resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection):
        if ordered_by_words(compiler.query):
            raise FullResultSet
        alias = compiler.quote_name_unless_alias(self.alias)
        if connection.vendor == "sqlite":
            fts = self.fts_table
            return f"{alias}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [
                fts5_prefix_query(list(self.terms))
            ]
        column = f"{alias}.{connection.ops.quote_name(self.tsvector_column)}"
        return f"{column} @@ to_tsquery('simple', %s)", [tsquery_prefix(list(self.terms))]


class WordsOrder(Expression):
    """A row's name or key as its word table holds it (`WordsFirst`): the order of a search read from it (by key
    too, the same as the row's own: PostgreSQL then sorts nothing more)."""

    def __init__(self, words_table: str, column: str):
        super().__init__(output_field=TextField() if column == "name" else BigIntegerField())
        self.words_table, self.column = words_table, column

    def as_sql(self, compiler, connection):
        for entry in compiler.query.alias_map.values():
            if isinstance(entry, WordsFirst) and entry.words_table == self.words_table:
                return f"{connection.ops.quote_name(entry.found_alias)}.{self.column}", []
        raise ValueError(f"An order by the words of {self.words_table} on a query that does not read them")
