"""Where and what: the spatial index and the text index of resources, on SQLite and PostgreSQL.

SQLite answers "near this point" from an R*Tree virtual table and free text from an FTS5 table,
both kept in step with the resource table by triggers. PostgreSQL uses a GiST index on the point
and a GIN index on the text. The exact (haversine) distance is computed by the database, for the
few candidates the box lets through, in the same query.

Mind the triggers on SQLite: a migration that makes Django rebuild the resource table (changing a
column's type, a NOT NULL field with a default...) drops them with the old table. Such a migration
must create the triggers of SQLITE_INDEXES again; tests/test_spatial.py fails if they are missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import BooleanField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from commonground.core.counting import compiled, short_bound
from commonground.core.textsearch import (
    fts5_prefix_query,
    many_words,
    run_for_engine,
    text_terms,
    words_first,
    words_match,
)
from commonground.core.word_heads import head_search, many_matches
from commonground.core.word_tables import WordTables

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
TABLE = "resources_resource"
BOX_TABLE = "resources_resource_box"
TEXT_TABLE = "resources_resource_text"
TOKENIZE = "unicode61 remove_diacritics 2"

SQLITE_INDEXES = [
    f"CREATE VIRTUAL TABLE {BOX_TABLE} USING rtree(id, min_lat, max_lat, min_lon, max_lon)",
    f"""CREATE TRIGGER resources_box_insert AFTER INSERT ON {TABLE}
        WHEN new.latitude IS NOT NULL AND new.longitude IS NOT NULL BEGIN
        INSERT INTO {BOX_TABLE} VALUES (new.id, new.latitude, new.latitude, new.longitude, new.longitude); END""",
    f"""CREATE TRIGGER resources_box_update AFTER UPDATE OF latitude, longitude ON {TABLE} BEGIN
        DELETE FROM {BOX_TABLE} WHERE id = old.id;
        INSERT INTO {BOX_TABLE} SELECT new.id, new.latitude, new.latitude, new.longitude, new.longitude
        WHERE new.latitude IS NOT NULL AND new.longitude IS NOT NULL; END""",
    f"CREATE TRIGGER resources_box_delete AFTER DELETE ON {TABLE} BEGIN DELETE FROM {BOX_TABLE} WHERE id = old.id; END",
    f"""CREATE VIRTUAL TABLE {TEXT_TABLE} USING fts5(name, description, content='{TABLE}', content_rowid='id',
        tokenize='{TOKENIZE}')""",
    f"""CREATE TRIGGER resources_text_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {TEXT_TABLE}(rowid, name, description) VALUES (new.id, new.name, new.description); END""",
    f"""CREATE TRIGGER resources_text_update AFTER UPDATE OF name, description ON {TABLE} BEGIN
        INSERT INTO {TEXT_TABLE}({TEXT_TABLE}, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
        INSERT INTO {TEXT_TABLE}(rowid, name, description) VALUES (new.id, new.name, new.description); END""",
    f"""CREATE TRIGGER resources_text_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {TEXT_TABLE}({TEXT_TABLE}, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS resources_box_insert",
    "DROP TRIGGER IF EXISTS resources_box_update",
    "DROP TRIGGER IF EXISTS resources_box_delete",
    "DROP TRIGGER IF EXISTS resources_text_insert",
    "DROP TRIGGER IF EXISTS resources_text_update",
    "DROP TRIGGER IF EXISTS resources_text_delete",
    f"DROP TABLE IF EXISTS {BOX_TABLE}",
    f"DROP TABLE IF EXISTS {TEXT_TABLE}",
]
# What a text search reads of each match on SQLite, in an index led by the key: the FTS5 table yields keys, and
# looking each up in the table read its whole row (a description, an address...) for five columns, which cost
# about a third of a search for a common word (4,912 matches at 100,000 resources). PostgreSQL has no use for it:
# its text index yields rows' places in the table, not keys. A migration that rebuilds the table drops it with
# the triggers; restore_sqlite_triggers makes it again.
SEARCH_INDEX = "resource_search_cover"
SEARCH_INDEX_COLUMNS = ("id", "community_id", "tlp", "organization_id", "disclosed_in_incidents", "name")
SQLITE_SEARCH_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON {TABLE} ({', '.join(SEARCH_INDEX_COLUMNS)})"
)
POSTGRES_POINT = "point(longitude, latitude)"
POSTGRES_TEXT = "to_tsvector('simple', name || ' ' || description)"
POSTGRES_INDEXES = [
    f"CREATE INDEX resource_point_gist ON {TABLE} USING gist (({POSTGRES_POINT}))",
    f"CREATE INDEX resource_text_gin ON {TABLE} USING gin (({POSTGRES_TEXT}))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS resource_point_gist", "DROP INDEX IF EXISTS resource_text_gin"]
# The words are stored, not computed per row: a plan that reads rows in another order (the list's
# name order) no longer pays to_tsvector for each, and the column's own statistics tell the planner
# how rare a word is. Its GIN index replaces the expression index above. PostgreSQL refuses to change
# the type of `name` or `description` while this column depends on them: drop it first in such a migration.
TEXT_COLUMN = "search_text"
POSTGRES_TEXT_COLUMN = [
    f"ALTER TABLE {TABLE} ADD COLUMN {TEXT_COLUMN} tsvector GENERATED ALWAYS AS ({POSTGRES_TEXT}) STORED",
    f"CREATE INDEX resource_search_text_gin ON {TABLE} USING gin ({TEXT_COLUMN})",
    "DROP INDEX IF EXISTS resource_text_gin",
]
POSTGRES_TEXT_COLUMN_DROP = [
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {TEXT_COLUMN}",
    f"CREATE INDEX IF NOT EXISTS resource_text_gin ON {TABLE} USING gin (({POSTGRES_TEXT}))",
]


# PostgreSQL: each resource's words, one row each with its name and key, in an index in word and name order
# (`core.textsearch.word_table_sql`), kept in step by triggers. A search for a word reads its matches' names and
# keys from that index alone, not from every matching row; `text_search` reads its pages from it.
WORD_TABLE = "resources_resource_word"
# SQLite: each resource's name and key under each start of its words, with its words of that start, in an index
# in start and name order (`core.word_heads`), kept in step by triggers: a search for a common word reads its page
# from it. Named as PostgreSQL's word table is in a query (`words_first`).
HEAD_TABLE = "resources_resource_head"


def create_indexes(apps, schema_editor) -> None:
    run_for_engine(schema_editor, sqlite=SQLITE_INDEXES, postgresql=POSTGRES_INDEXES)


def drop_indexes(apps, schema_editor) -> None:
    run_for_engine(schema_editor, sqlite=SQLITE_DROP, postgresql=POSTGRES_DROP)


def add_text_column(apps, schema_editor) -> None:
    """On PostgreSQL, store each resource's words in a generated column with its own GIN index."""
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_TEXT_COLUMN:
            schema_editor.execute(statement)


def drop_text_column(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_TEXT_COLUMN_DROP:
            schema_editor.execute(statement)


# The tables of words a search of a common word reads its pages from (`core.word_tables`): their migrations'
# functions.
WORDS = WordTables(
    table=TABLE,
    text_table=TEXT_TABLE,
    columns=("name", "description"),
    tokenize=TOKENIZE,
    head_table=HEAD_TABLE,
    word_table=WORD_TABLE,
    tsvector_column=TEXT_COLUMN,
)
add_word_table, drop_word_table = WORDS.add_word_table, WORDS.drop_word_table
add_head_table, drop_head_table = WORDS.add_head_table, WORDS.drop_head_table


def create_search_index(apps, schema_editor) -> None:
    """On SQLite, the index a text search reads its matches' columns from (`SEARCH_INDEX`), once the table holds
    every column of it."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        columns = {
            column.name
            for column in schema_editor.connection.introspection.get_table_description(cursor, TABLE)
        }
    if columns.issuperset(SEARCH_INDEX_COLUMNS):
        schema_editor.execute(SQLITE_SEARCH_INDEX)


def drop_search_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


def restore_sqlite_triggers(apps, schema_editor) -> None:
    """After a migration rebuilt the resource table on SQLite: the indexes again, filled from the rows."""
    if schema_editor.connection.vendor != "sqlite":
        return
    drop_indexes(apps, schema_editor)
    create_indexes(apps, schema_editor)
    create_search_index(apps, schema_editor)
    schema_editor.execute(
        f"INSERT INTO {BOX_TABLE} SELECT id, latitude, latitude, longitude, longitude FROM {TABLE} "
        "WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )
    schema_editor.execute(f"INSERT INTO {TEXT_TABLE}({TEXT_TABLE}) VALUES ('rebuild')")
    WORDS.refill_head_table(apps, schema_editor)


@dataclass(frozen=True)
class Near:
    """A point and a radius: the circle a distance search looks in."""

    latitude: float
    longitude: float
    radius_km: float

    def box(self) -> tuple[float, float, float, float]:
        """Return (south, north, west, east) in degrees, a box that holds the whole circle."""
        dlat = self.radius_km / KM_PER_DEGREE
        south, north = max(-90.0, self.latitude - dlat), min(90.0, self.latitude + dlat)
        widest = max(abs(south), abs(north))
        if widest >= 89.9:
            return south, north, -180.0, 180.0
        dlon = self.radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
        west, east = self.longitude - dlon, self.longitude + dlon
        if west < -180 or east > 180:  # the circle crosses the antimeridian: take every longitude
            return south, north, -180.0, 180.0
        return south, north, west, east


def in_box(near: Near) -> Q:
    """Return the condition that a resource lies in the box around the circle, through the spatial index."""
    south, north, west, east = near.box()
    if connection.vendor == "sqlite":
        sql = (
            f'"{TABLE}"."id" IN (SELECT id FROM {BOX_TABLE} '
            "WHERE max_lat >= %s AND min_lat <= %s AND max_lon >= %s AND min_lon <= %s)"
        )
        return Q(RawSQL(sql, (south, north, west, east), output_field=BooleanField()))
    sql = f'point("{TABLE}"."longitude", "{TABLE}"."latitude") <@ box(point(%s, %s), point(%s, %s))'
    return Q(RawSQL(sql, (west, south, east, north), output_field=BooleanField()))


def matches_text(text: str) -> Q:
    """Return the condition that a resource's name or description holds every word (as a prefix)."""
    terms = text_terms(text)
    if not terms:
        return Q()
    return words_match(TABLE, fts_table=TEXT_TABLE, tsvector_column=TEXT_COLUMN, terms=terms)


def text_search(queryset: QuerySet, text: str, *, in_name_order: bool = True) -> QuerySet:
    """Return the resources of the list whose name or description holds every word (as a prefix), in the list's
    order (`match_first`).

    On SQLite the FTS5 table is joined, its matches read first: as `id IN (matches)` (`matches_text`), SQLite
    wrote the matches into a temporary index before it looked each up, a third of the search's time at 5,000
    matches. The rows are the same: each resource has one row in the FTS5 table. A search of plain words, one of
    them at least a word's start long (`core.word_heads.head_search`), each matching more rows than a short list
    holds (`core.word_heads.many_matches`), reads its pages from the head table instead (`HEAD_TABLE`): the
    matches of a common word in name order, a page's worth, not every one of them sorted.

    On PostgreSQL a search of plain words (`core.textsearch.word_ranges`), each of which starts more words of the
    word table than a short list holds (`core.textsearch.many_words`), reads its pages' matches from the word
    table (`WORD_TABLE`, `core.textsearch.words_first`) and its count from the GIN index; any other search reads
    both from the GIN index (`match_first`). A short list is read whole on every request (`short_lists`): looking
    up each of a few hundred matches by key cost more than the GIN index's read of their rows (1.4 against 0.8 ms
    for 502 matches at 10,000 resources). The choice is made as the filtered list is built, which the list's name
    keeps (`kept_filters`): it decides how the rows are read, never which. A search not read in name order
    (`in_name_order` False: a distance search) is read from the GIN index without asking."""
    terms = text_terms(text)
    if connection.vendor != "sqlite":
        if in_name_order and many_words(WORD_TABLE, terms, short_bound(), queryset.db):
            return words_first(queryset, words_table=WORD_TABLE, tsvector_column=TEXT_COLUMN, terms=terms)
        return match_first(queryset.filter(matches_text(text)))
    if not terms:
        return queryset
    if in_name_order and head_search(terms) and many_matches(TEXT_TABLE, terms, short_bound(), queryset.db):
        return words_first(
            queryset, words_table=HEAD_TABLE, tsvector_column=TEXT_COLUMN, terms=terms, fts_table=TEXT_TABLE
        )
    return queryset.extra(  # noqa: S610 - the table and its columns are ours; the words go as a parameter
        tables=[TEXT_TABLE],
        where=[f'"{TABLE}"."id" = "{TEXT_TABLE}"."rowid"', f'"{TEXT_TABLE}" MATCH %s'],
        params=[fts5_prefix_query(terms)],
    )


def match_first(queryset: QuerySet) -> QuerySet:
    """Return a text search in the list's order (name, id), read so that PostgreSQL runs the match first.

    Given the order of an index, PostgreSQL walks it and tests each row for the words: at a million
    resources it read 587,235 rows for one page of "generator", since where the matches fall in name
    order is beyond its statistics. An order no index holds (the same names, as an expression) leaves
    it the GIN index, then a sort of the matches. SQLite answers the FTS5 match first already.
    """
    if connection.vendor != "postgresql":
        return queryset
    return queryset.order_by(Concat(F("name"), Value("")).asc(), "id")


def distance_expression(near: Near) -> RawSQL:
    """Return the great-circle distance (haversine) from the circle's centre, computed by the database.

    Written as SQL: the same formula as nested ORM functions cost a distance search more to compile than the
    database took to run it."""
    phi, lam = math.radians(near.latitude), math.radians(near.longitude)
    least = "MIN" if connection.vendor == "sqlite" else "LEAST"
    latitude, longitude = f'"{TABLE}"."latitude"', f'"{TABLE}"."longitude"'
    sql = (
        f"%s * ASIN(SQRT({least}(1.0, POWER(SIN((RADIANS({latitude}) - %s) / 2.0), 2)"
        f" + %s * COS(RADIANS({latitude})) * POWER(SIN((RADIANS({longitude}) - %s) / 2.0), 2))))"
    )
    return RawSQL(sql, (2 * EARTH_RADIUS_KM, phi, math.cos(phi), lam), output_field=FloatField())


class NearestFirst(Sequence):
    """The resources of a queryset within a circle, nearest first, each carrying its `distance_km`.

    One query selects the candidates through the spatial index, keeps those within the radius by
    their exact distance (computed by the database) and sorts them; a page is then read by key.


    `sql_key`, when given, names everything `queryset` and the circle are made of (`core.counting.KeysFirst`):
    the search's SQL is then compiled once in the process.
    """

    def __init__(self, queryset: QuerySet, near: Near, rows: QuerySet | None = None, sql_key=None):
        # `rows` reads a page by primary key: the ids are already filtered and visible, and
        # repeating every condition of `queryset` there can lead the planner astray.
        self.queryset = queryset if rows is None else rows
        self.near = near

        def ranked() -> QuerySet:
            return (
                queryset.filter(in_box(near))
                .annotate(distance_km=distance_expression(near))
                .filter(distance_km__lte=near.radius_km)
                .order_by("distance_km", "pk")
                .values_list("pk", "distance_km")
            )

        self.ranked = [(distance, pk) for pk, distance in _rows(ranked, queryset.db, sql_key, near)]

    def __len__(self) -> int:
        return len(self.ranked)

    def count(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        chosen = self.ranked[index]
        by_pk = self.queryset.in_bulk([pk for _distance, pk in chosen])
        page = []
        for distance, pk in chosen:
            resource = by_pk[pk]
            resource.distance_km = round(distance, 3)
            page.append(resource)
        return page


def _rows(ranked, using: str, sql_key, near: Near) -> Sequence[tuple]:
    """Return the ranked (key, distance) rows of the query `ranked` builds, by its kept SQL where it has a name."""
    if sql_key is None:
        return ranked()
    try:
        sql, params = compiled(ranked, ("nearest", sql_key, near), using)
    except EmptyResultSet:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
