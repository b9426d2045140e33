"""The page's lists read by kept SQL: each list's query compiled once for the facts it is made of.

Building and compiling the lists' queries (each owning app's visibility conditions, their joins and subqueries)
was two thirds of the page's CPU, and running them a twentieth. A list's SQL is a function of what its key names
and of nothing else: the caller's promise, as for `core.kept` (docs/development.md, "Kept SQL"). So it is
compiled the first time a reader with those facts asks, and run as it is after that. Its rows are read with
`Model.objects.raw`: the model's own fields that the query selects and its annotations, no joined instances
(a list annotates what it shows of its relations). A value that changes on every request (the clock's time) is
a `Slot`, compiled as a placeholder and given its value each time the SQL runs; a slot left unnamed raises.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from commonground.core.kept import Kept

# A reader's page has ten lists, its communities among them; a few hundred readers at once.
KEPT = 4096


class Slot:
    """A parameter of kept SQL that is given its value each time the SQL runs (the time of the request)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"

    def expression(self, output_field: models.Field) -> RawSQL:
        """Return the slot as an expression to compare a field with; its placeholder's parameter is the slot."""
        return RawSQL("%s", (self,), output_field=output_field)


@dataclass(frozen=True)
class Statement:
    """A list's compiled query: the model its rows are, its database, its SQL and parameters (slots among them),
    and the model's columns that the SQL names otherwise (a compound statement's col1, col2...)."""

    model: type[models.Model] | None
    using: str
    sql: str
    params: tuple
    columns: dict[str, str]


# A list that can match nothing (Django compiles no SQL for it).
NOTHING = Statement(None, "", "", (), {})

_kept: Kept[Statement] = Kept(KEPT)


def kept_rows(key: Hashable, build: Callable[[], QuerySet], limit: int | None = None, **slots) -> list:
    """Return the rows of the list `build` makes (at most `limit`), by its SQL kept under `key`.

    `key` must name everything the list is made of: the whole `Viewer` (every fact a visibility rule reads) and
    each other value the query compares with, except the slots, which `slots` gives by name.
    """

    def compile_() -> Statement:
        queryset = build()
        if limit is not None:
            queryset = queryset[:limit]
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return NOTHING
        selected = [compiler.select[i] for i in compiler.klass_info["select_fields"]]
        columns = {alias: expression.target.column for expression, _sql, alias in selected if alias}
        return Statement(queryset.model, queryset.db, sql, tuple(params), columns)

    statement = _kept.get_or_build((limit, key), compile_)
    if statement is NOTHING:
        return []
    params = [slots[value.name] if isinstance(value, Slot) else value for value in statement.params]
    manager = statement.model._default_manager.db_manager(statement.using)
    return list(manager.raw(statement.sql, params, translations=statement.columns))


def forget() -> None:
    """Drop every kept statement (for tests that change what a list is made of)."""
    _kept.clear()
