"""A fast multi-row INSERT ... RETURNING for imports, where Django's bulk_create spends most of the time.

Small and hand-written on purpose: it converts values per column type once, not per field per object,
and works on SQLite (3.35 and later) and PostgreSQL alike. On PostgreSQL a batch is one
INSERT ... SELECT FROM UNNEST(one array a column) RETURNING id: a parameter a column, where a multi-row
VALUES takes one a value, which psycopg binds one by one in Python and the server parses one by one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson
from django.db import connection, models

# Keep each statement under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
MAX_PARAMETERS = 32_000
# On PostgreSQL (UNNEST) the rows of one statement: bounds the text psycopg builds for it.
UNNEST_ROWS = 20_000


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """Return how to adapt a column's values for the database, or None when they go as they are."""
    if isinstance(field, models.DateTimeField):
        # Imports stamp every row with the same moment: convert it once.
        last: list[Any] = [object(), None]

        def convert_datetime(value):
            if value is not last[0]:
                last[0], last[1] = value, connection.ops.adapt_datetimefield_value(value)
            return last[1]

        return convert_datetime
    if type(field) is models.DateField:
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        if field.encoder is None and connection.vendor == "sqlite":
            # SQLite keeps JSON as text; orjson writes it several times faster than the json module.
            return lambda value: orjson.dumps(value).decode()
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    return None


def adapter(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """Return how to adapt values of a model's field for the database (for rows given as `adapted`)."""
    return _converter(model._meta.get_field(name)) or (lambda value: value)


def _direct() -> bool:
    """Return whether statements may skip Django's SQLite cursor wrapper.

    That wrapper rewrites each %s to ? with a regular expression, about 13 ms for a statement of 32,000
    parameters, as much as the insert itself. The statements go through Django's cursor whenever anything
    watches them (query capture, DEBUG logging, execute wrappers), and straight to sqlite3 otherwise.
    """
    return connection.vendor == "sqlite" and not connection.queries_logged and not connection.execute_wrappers


def _marker() -> str:
    return "?" if _direct() else "%s"


def _execute(cursor, sql: str, params, *, many: bool = False) -> None:
    if not _direct():
        (cursor.executemany if many else cursor.execute)(sql, params if not many else list(params))
        return
    with connection.wrap_database_errors:  # a sqlite3 error becomes Django's, as through the cursor
        (sqlite3.Cursor.executemany if many else sqlite3.Cursor.execute)(cursor.cursor, sql, params)


def insert_returning_ids(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows whose values follow `fields`; return the new primary keys in row order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _insert_unnest(model, fields, rows)
    return _insert_values(model, fields, rows)


def _insert_unnest(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """PostgreSQL: INSERT ... SELECT FROM UNNEST(arrays) RETURNING id, the rows' order kept.

    The rows are numbered (WITH ORDINALITY) and inserted in that order, so RETURNING gives the keys in row
    order; each array is cast to its column's base type (varchar[], not varchar(200)[], as Django's own
    bulk_create does: a value too long fails at the column, as it would through VALUES).
    """
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    converters = [_converter(field) or _same_type(field) for field in model_fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model_fields)
    names = [f"c{i}" for i in range(len(model_fields))]
    arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in model_fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {', '.join(names)} "
        f"FROM UNNEST({arrays}) WITH ORDINALITY AS rows ({', '.join(names)}, n) ORDER BY n "
        f"RETURNING {quote(meta.pk.column)}"
    )
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UNNEST_ROWS):
            chunk = rows[start : start + UNNEST_ROWS]
            params = [
                list(map(convert, column)) if convert else list(column)
                for column, convert in zip(zip(*chunk, strict=True), converters, strict=True)
            ]
            cursor.execute(sql, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _same_type(field: models.Field) -> Callable[[Any], Any] | None:
    """Return how to give a column's values one Python type: psycopg dumps no list of mixed types (1 and 2.5)."""
    target = field.target_field if field.is_relation else field
    for kind, python_type in (
        (models.FloatField, float),
        (models.BooleanField, bool),
        (models.IntegerField, int),
        (models.CharField, str),
        (models.TextField, str),
    ):
        if isinstance(target, kind):
            return lambda value: value if value is None or type(value) is python_type else python_type(value)
    return None


def _insert_values(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """A multi-row INSERT ... VALUES ... RETURNING: SQLite's way (and PostgreSQL's before UNNEST)."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    converted = [(i, convert) for i, field in enumerate(model_fields) if (convert := _converter(field))]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model_fields)
    marker = _marker()
    row_placeholder = "(" + ", ".join([marker] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([row_placeholder] * len(chunk))} RETURNING {quote(meta.pk.column)}"
            )
            params: list[Any] = []
            if converted:
                for row in chunk:
                    row = list(row)
                    for i, convert in converted:
                        row[i] = convert(row[i])
                    params += row
            else:
                for row in chunk:
                    params += row
            _execute(cursor, sql, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, adapted: bool = False
) -> None:
    """Insert rows whose values follow `fields`, when their keys are not needed: one prepared statement, many rows.

    Faster than a multi-row INSERT ... RETURNING where nothing needs the new keys (audit entries, seats).
    `adapted` says the caller adapted the values for the database already (with `adapter`).
    """
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    converted = [
        (i, convert) for i, field in enumerate(model_fields) if not adapted and (convert := _converter(field))
    ]
    quote = connection.ops.quote_name
    marker = _marker()
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in model_fields)}) "
        f"VALUES ({', '.join([marker] * len(fields))})"
    )
    if converted:
        rows = (_converted(row, converted) for row in rows)
    with connection.cursor() as cursor:
        _execute(cursor, sql, rows, many=True)


def _converted(row: Sequence[Any], converted) -> list[Any]:
    row = list(row)
    for i, convert in converted:
        row[i] = convert(row[i])
    return row
