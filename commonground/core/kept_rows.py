"""Model instances read by SQL compiled once in the process (`core.kept`), made from its rows as the ORM makes them.

Many reads run the same small queries on every request (a community by its slug, a page's rows by key, the lists
of My work, an incident board's polls), and building and compiling them cost more than running them. `kept_rows`
keeps a query's SQL and parameters by a key, as `core.counting.compiled` keeps a list's, with what making its
instances needs (each column's converters, the models of its select_related rows, its annotations' columns); the
rows are read afresh on every call.

The key is the caller's promise (docs/development.md, "Kept SQL"): it names everything the query is made of (the
whole `Viewer` where a visibility rule reads it, each record key and value it compares with), and begins with the
name of what it reads, which no other caller uses ("my work", "incidents", "community by slug"): every caller
shares one store. A value that
changes on every call is passed apart, in one of two ways:
- `values`: the query's parameters for this call, which must be the compiled parameters, the same values in the
  same order (checked when it is compiled; a query whose parameters are not is never kept, and is read by the
  ORM each time);
- a `Slot` (the clock's time): compiled as a placeholder and given its value by name at each call; a slot left
  unnamed raises.

Instances are made as `Model.from_db` makes them, without its generic path: the loaded columns straight into
the instance's `__dict__`, which is what `Model.__init__` does for a model whose fields are plain columns and
that no `pre_init` or `post_init` receiver listens to; any other model is made by `from_db`. A compound
statement (a union) is read by position, as the ORM reads it. `tests/test_kept_rows.py` compares the instances
with the ORM's, field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, RelatedPopulator, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from commonground.core.counting import compiled
from commonground.core.kept import Kept, check_kept_sql


class Slot:
    """A parameter of kept SQL that is given its value each time the SQL runs (the time of the request)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"

    def __eq__(self, other) -> bool:  # a slot is its name: SQL compiled again with a new one is the same SQL
        return isinstance(other, Slot) and other.name == self.name

    def __hash__(self) -> int:
        return hash((Slot, self.name))

    def expression(self, output_field) -> RawSQL:
        """Return the slot as an expression to compare a field with; its placeholder's parameter is the slot."""
        return RawSQL("%s", (self,), output_field=output_field)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    model: type[Model]
    init_list: list[str]
    start: int
    end: int
    fast: bool  # its columns plain (`_plain`): made straight into __dict__ (`_made`) unless a signal listens
    related: list[RelatedPopulator]
    related_fast: list[bool]
    # (position, expression, functions) of each column a value is converted for, as the compiler's
    # get_converters gives them; each function is called with the connection of the call that reads.
    converters: list[tuple[int, Any, list]]
    annotations: tuple[tuple[str, int], ...]  # (name, position) of each annotation's column
    slotted: bool  # a parameter is a `Slot`
    width: int  # the number of columns it selects


# What a key keeps: the compiled query, or that it matches nothing, or that it is not one to keep.
_NOTHING: Any = object()
_UNKEPT: Any = object()
# A board's six reads for each of a few hundred viewers, My work's nine lists, the lists' pages and communities.
_kept: Kept[Any] = Kept(4_096)


def kept_rows(
    key: Hashable,
    build: Callable[[], QuerySet],
    using: str = DEFAULT_DB_ALIAS,
    values: Sequence | None = None,
    **slots,
) -> list[Model]:
    """Return the instances of the query `build` makes (on the database `using`), by its SQL kept under `key`.

    `values`, when given, are the query's parameters for this call: `build` must make the query from them.
    `slots` gives each `Slot` of the query its value for this call, by name."""
    values = None if values is None else tuple(values)

    def compile_it() -> Any:
        made = _compile(build(), using, values)
        if made is _NOTHING and values is not None:
            raise _ValuesMatchNothing  # this call's values decided it (a key no column holds): kept for no other
        return made

    try:
        compiled = _kept.get_or_build((using, key, None if values is None else len(values)), compile_it)
    except _ValuesMatchNothing:
        return []
    if settings.KEPT_SQL_CHECK:
        rebuilt = _compile(build(), using, values)
        if not (values is not None and rebuilt is _NOTHING):  # this call's values match nothing: none read
            check_kept_sql(key, _statement(compiled, values), _statement(rebuilt, values))
    if compiled is _UNKEPT:
        return list(build())
    if compiled is _NOTHING:
        return []
    params = compiled.params if values is None else values
    connection = connections[using]
    if compiled.slotted:
        params = [
            _slot_value(value, slots, connection) if isinstance(value, Slot) else value for value in params
        ]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    return _instances(compiled, rows, using)


def instances(queryset: QuerySet) -> list[Model]:
    """Return the queryset's instances made as `kept_rows` makes them, its SQL compiled for this call alone (not
    kept): a select's few hundred options, whose instances Django's iterator made one `from_db` at a time, the
    largest part of a form's remaining server time. A queryset `kept_rows` would not keep is read by the ORM."""
    using = queryset.db
    statement = _compile(queryset, using, None)  # not `compiled`: core.counting's, which visible_by_key calls
    if statement is _UNKEPT:
        return list(queryset)
    if statement is _NOTHING:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        rows = cursor.fetchall()
    return _instances(statement, rows, using)


def instances_beside(
    queryset: QuerySet | Callable[[], QuerySet],
    beside: Callable[[str], str],
    params_after: Sequence = (),
    *,
    key: Hashable | None = None,
    using: str = DEFAULT_DB_ALIAS,
    **slots,
) -> tuple[list[Model], list[tuple]] | None:
    """Return the queryset's instances made as `kept_rows` makes them, and the other columns of the same rows,
    read by one statement: `beside(sql)` is a statement whose leading columns are the queryset's SQL's, in order,
    and whose trailing ones are another read's (`SELECT q.*, ... FROM (sql) q ...`), run with the queryset's
    parameters and then `params_after`. Each row gives an instance (a row repeated by a join, an instance alike)
    and its trailing columns. Compiled for this call; with `key`, `queryset` is a function that builds it (on the
    database `using`) and its SQL is kept under `key` as `kept_rows` keeps it, each `Slot` given its value from
    `slots`. None where the queryset is not one `kept_rows` would keep (the caller reads it by the ORM); ([], [])
    where it matches nothing."""
    if key is None:
        using = queryset.db
        statement = _compile(queryset, using, None)
    else:
        statement = _kept.get_or_build((using, key, None), lambda: _compile(queryset(), using, None))
        if settings.KEPT_SQL_CHECK:
            check_kept_sql(
                key, _statement(statement, None), _statement(_compile(queryset(), using, None), None)
            )
    if statement is _UNKEPT:
        return None
    if statement is _NOTHING:
        return [], []
    width, params, connection = statement.width, statement.params, connections[using]
    if statement.slotted:
        params = [
            _slot_value(value, slots, connection) if isinstance(value, Slot) else value for value in params
        ]
    with connection.cursor() as cursor:
        cursor.execute(beside(statement.sql), (*params, *params_after))
        rows = cursor.fetchall()
    return _instances(statement, [row[:width] for row in rows], using), [row[width:] for row in rows]


def visible_by_key(
    name: str, viewer: Hashable, listed: Callable[[], QuerySet], pk: Any, using: str = DEFAULT_DB_ALIAS
) -> Model | None:
    """Return the record of key `pk` among the reader's list (`listed()`, with the related rows the page shows), or
    None where the reader may not see it (or there is none): the detail page's read, by SQL kept for the reader
    whatever the key (`rows_by_keys`). Building and compiling the visibility conditions for each key cost a detail
    page a fifth of its CPU. `name` says what is read, as `kept_rows`' keys begin; `viewer` is everything the list
    is built from (the whole reader, and anything else `listed` reads). A whole-number key beyond any database's
    integers (a typed address) finds nothing, as the ORM's lookup finds nothing for it: given as a parameter,
    SQLite's driver refused it with an error."""
    if isinstance(pk, int) and not -(2**63) <= pk < 2**63:
        return None
    found = rows_by_keys((name, viewer), listed, [pk], using)
    if found is None:  # a list whose SQL does not take its key last: read by the ORM
        found = list(listed().order_by().filter(pk=pk))
    return found[0] if found else None


def rows_by_keys(
    key: Hashable, listed: Callable[[], QuerySet], keys: Sequence, using: str = DEFAULT_DB_ALIAS
) -> list[Model] | None:
    """Return the rows of these keys (distinct; in the database's order) among the list `listed()` makes, by SQL kept
    under `key` whatever the keys; None where the list's SQL does not take the keys' parameters last (the caller
    reads them by the ORM).

    Two statements compiled once in the process for `key`: the list's row of one key, the key kept as a `Slot`,
    whose parameters before the key's are those of the list (its selected columns', its conditions'), the same for
    any key; and the rows of as many keys as these, whose parameters are those, then the keys (held to the SQL
    `kept_rows` compiles)."""
    slot = Slot("key")

    def one_key() -> QuerySet:
        rows = listed()
        return rows.order_by().filter(pk=slot.expression(rows.model._meta.pk))

    try:
        _sql, params = compiled(one_key, ("one key", key), using)
    except EmptyResultSet:
        return []
    if not params or params[-1] != slot:
        return None
    return kept_rows(
        ("rows by keys", key),
        lambda: listed().order_by().filter(pk__in=keys),
        using,
        values=(*params[:-1], *keys),
    )


class _ValuesMatchNothing(Exception):
    """The query compiled for one call's `values` matches nothing: nothing is kept (`Kept` keeps no build that
    raises), so the next call, with other values, compiles its own."""


def _statement(compiled: Any, values: tuple | None) -> Any:
    """What a kept read's SQL is, to compare with another: its text and parameters (a slot by its name); its text
    alone where each call gives its values (`_compile` held them to the parameters)."""
    if not isinstance(compiled, _Compiled):
        return compiled
    if values is not None:
        return compiled.sql
    return compiled.sql, tuple(repr(value) if isinstance(value, Slot) else value for value in compiled.params)


def _slot_value(slot: Slot, slots: dict, connection):
    """A slot's value as the database takes it (a time as the ORM would write it), as `Manager.raw` adapts one."""
    if slot.name not in slots:
        raise ValueError(f"kept SQL has a slot {slot.name!r} that this call gives no value")
    return connection.ops.adapt_unknown_value(slots[slot.name])


def forget_kept_rows() -> None:
    """Drop every kept query (for tests that change what a query is made of)."""
    _kept.clear()


def _compile(queryset: QuerySet, using: str, values: tuple | None) -> Any:
    """Compile the query, or say that it matches nothing, or that it cannot be kept (it prefetches, selects
    extra columns, makes anything but instances, or its parameters are not the values given)."""
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups
        or queryset._known_related_objects
        or query.extra_select
    ):
        return _UNKEPT
    compiler = query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _NOTHING
    params = tuple(params)
    if (values is not None and params != values) or compiler.col_count != len(compiler.select):
        return _UNKEPT
    klass_info, select = compiler.klass_info, compiler.select
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    related = get_related_populators(klass_info, select, using)
    converters = [
        (position, expression, functions)
        for position, (functions, expression) in compiler.get_converters([s[0] for s in select]).items()
    ]
    return _Compiled(
        sql=sql,
        params=params,
        model=klass_info["model"],
        init_list=init_list,
        start=start,
        end=end,
        fast=_plain(klass_info["model"], init_list),
        related=related,
        related_fast=[
            populator.reorder_for_init is None
            and not populator.related_populators
            and _plain(populator.model_cls, populator.init_list)
            for populator in related
        ],
        converters=converters,
        annotations=tuple((compiler.annotation_col_map or {}).items()),
        slotted=any(isinstance(value, Slot) for value in params),
        width=len(select),
    )


def _plain(model: type[Model], attnames: list[str]) -> bool:
    """Whether `Model.__init__` would do no more for these columns than set them in the instance's __dict__:
    each column's attribute a plain deferred one (a foreign key's sets its key; a file's or any other descriptor
    may do more). Whether a signal receiver listens is asked at each read (`_listened`)."""
    return all(type(_attribute(model, name)) in _PLAIN for name in attnames)


def _listened(model: type[Model]) -> bool:
    return pre_init.has_listeners(model) or post_init.has_listeners(model)


def _attribute(model: type[Model], name: str):
    """The class attribute `name` as the class holds it (no descriptor asked for its value)."""
    return next((klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__), None)


def _plain_attributes() -> tuple[type, ...]:
    from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute

    return (DeferredAttribute, ForeignKeyDeferredAttribute)


_PLAIN = _plain_attributes()


def _made(model: type[Model], using: str, attnames: list[str], values) -> Model:
    """An instance as `Model.from_db` makes it, for a model `_plain` allows."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(attnames, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = using
    return instance


def _instances(compiled: _Compiled, rows: list, using: str) -> list[Model]:
    """Make the instances of the rows as `ModelIterable` does: each column through its converters, the model
    from its columns, what it selects related from theirs."""
    connection = connections[using]
    converters, model, start, end = compiled.converters, compiled.model, compiled.start, compiled.end
    fast = compiled.fast and not _listened(model)
    related = [
        (populator, plain and not _listened(populator.model_cls))
        for populator, plain in zip(compiled.related, compiled.related_fast, strict=True)
    ]
    instances = []
    for row in rows:
        if converters:
            row = list(row)
            for position, expression, functions in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        if fast:
            instance = _made(model, using, compiled.init_list, row[start:end])
        else:
            instance = model.from_db(using, compiled.init_list, row[start:end])
        for populator, fast in related:
            if not fast:
                populator.populate(row, instance)
                continue
            columns = row[populator.cols_start : populator.cols_end]
            other = None
            if columns[populator.pk_idx] is not None:
                other = _made(populator.model_cls, using, populator.init_list, columns)
            populator.local_setter(instance, other)
            if other is not None:
                populator.remote_setter(other, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        instances.append(instance)
    return instances
