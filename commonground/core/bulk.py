"""A fast multi-row INSERT ... RETURNING for imports, where Django's bulk_create spends most of the time.

Small and hand-written on purpose: it converts values per column type once, not per field per object,
and works on SQLite (3.35 and later) and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

# Keep each statement under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
MAX_PARAMETERS = 32_000


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        # Imports stamp every row with the same moment: convert it once.
        last: list[Any] = [object(), None]

        def convert_datetime(value):
            if value is not last[0]:
                last[0], last[1] = value, connection.ops.adapt_datetimefield_value(value)
            return last[1]

        return convert_datetime
    if isinstance(field, models.JSONField):
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    return lambda value: value


def insert_returning_ids(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows whose values follow `fields`; return the new primary keys in row order."""
    if not rows:
        return []
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    converters = [_converter(field) for field in model_fields]
    plain = all(not isinstance(f, models.DateTimeField | models.JSONField) for f in model_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model_fields)
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([row_placeholder] * len(chunk))} RETURNING {quote(meta.pk.column)}"
            )
            if plain:
                params = [value for row in chunk for value in row]
            else:
                params = [
                    convert(value) for row in chunk for convert, value in zip(converters, row, strict=True)
                ]
            cursor.execute(sql, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids
