"""The visibility rules the board reads with, compiled to SQL once per viewer and kept, not built again on each poll.

Everyone at the table polls the board every few seconds, and building and compiling the TLP conditions
(`VisibilityQuerySet.tlp_q`: OR-ed terms with EXISTS subqueries) was most of the poll's CPU. The SQL of a rule is
a function of the viewer's facts alone (their organization, person, communities, co-chairs, roles: every field
of `Viewer`), so it is compiled by the rule itself the first time a viewer with those facts asks, and the text
and its parameters are reused as raw SQL after that. A viewer whose facts change (a new membership, a role
lost) is another key: nothing is kept across a change of the facts. `core/tests/test_board_reads.py` checks
the board's reads equal the lists' for every role.

The board's reads themselves (`rows`) are kept whole the same way: building a queryset and compiling its joins and
columns cost more than running it, at every poll. Their key names the viewer's facts and every record key and
state the query is built from (`selectors.incident_key`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import Col, RawSQL
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import GET_ITERATOR_CHUNK_SIZE, cursor_iter

from commonground.core.kept import Kept
from commonground.core.visibility import Viewer, viewer_facts

# Kept per process: a few hundred people at a table, a few rules each; a rule's SQL is a kilobyte or two.
KEPT = 2048
_kept: Kept[tuple] = Kept(KEPT)


facts = viewer_facts  # every fact of the viewer, as a key


class TableCondition(RawSQL):
    """A compiled condition on one table's rows, naming the table itself: a queryset filtered by it is read as it
    is, never as a subquery of another (where the table takes an alias the raw SQL would not follow)."""

    def __init__(self, sql: str, params: tuple, table: str):
        super().__init__(sql, params, output_field=BooleanField())
        self.table = table

    def relabeled_clone(self, change_map):
        if change_map.get(self.table, self.table) != self.table:
            raise ValueError(f"a compiled rule on {self.table} cannot be read inside another query")
        return super().relabeled_clone(change_map)


def condition(name: str, viewer: Viewer, rule: Callable[[Viewer], QuerySet]) -> TableCondition:
    """Return the WHERE condition of `rule(viewer)` (a queryset of one model, filtered by the rule and joined to
    nothing) as a boolean expression to filter that model's queryset by; `name` names the rule in the key. The
    queryset it filters must be read itself, not used as a subquery (`TableCondition`)."""

    def compile_() -> tuple[str, tuple, str]:
        query = rule(viewer).query
        if any(count and alias != query.base_table for alias, count in query.alias_refcount.items()):
            raise ValueError(f"{name}: a rule compiled alone must not join other tables")
        sql, params = query.get_compiler(DEFAULT_DB_ALIAS).compile(query.where)
        return sql, tuple(params), query.base_table

    sql, params, table = _kept.get_or_build(("where", name, facts(viewer)), compile_)
    return TableCondition(sql, params, table)


def subquery(name: str, viewer: Viewer, rule: Callable[[Viewer], QuerySet]) -> RawSQL:
    """Return `rule(viewer)` (a queryset of one column) as a subquery, for `field__in=`."""

    def compile_() -> tuple[str, tuple]:
        sql, params = rule(viewer).query.sql_with_params()
        return sql, tuple(params)

    sql, params = _kept.get_or_build(("in", name, facts(viewer)), compile_)
    return RawSQL(sql, params)


@dataclasses.dataclass(frozen=True)
class _Read:
    """A query compiled once: its SQL, and what Django's compiler found in compiling it that turns its rows into
    model instances (the columns, the related models, the annotations), without the query itself (tens of
    kilobytes). No SQL: it matches nothing."""

    sql: str | None
    params: tuple = ()
    select: list | None = None
    klass_info: dict | None = None
    annotation_col_map: dict | None = None
    col_count: int = 0
    has_extra_select: bool = False

    @classmethod
    def of(cls, queryset: QuerySet) -> _Read:
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
        ):
            raise ValueError(
                "a kept read returns plain model instances: no values(), prefetch or known objects"
            )
        compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(None)
        # Of each column, its expression alone is read again (its converters, its field), not its SQL; a column
        # is kept as a new one, without what compiling cached on it.
        select = [(_bare(expression), None, None) for expression, _sql, _alias in compiler.select]
        return cls(
            sql, tuple(params), select, compiler.klass_info, compiler.annotation_col_map, compiler.col_count,
            compiler.has_extra_select,
        )  # fmt: skip

    def run(self) -> list[Model]:
        """Run the SQL and build the instances as `ModelIterable` does."""
        if self.sql is None:
            return []
        connection = connections[DEFAULT_DB_ALIAS]
        # Only its converters are asked of this compiler: they read the columns and the connection, not the query.
        compiler = connection.ops.compiler("SQLCompiler")(None, connection, DEFAULT_DB_ALIAS)
        compiler.select, compiler.col_count = self.select, self.col_count
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, self.params)
        except Exception:
            cursor.close()
            raise
        chunks = cursor_iter(
            cursor,
            connection.features.empty_fetchmany_value,
            self.col_count if self.has_extra_select else None,
            GET_ITERATOR_CHUNK_SIZE,
        )
        chunks = list(chunks)
        klass_info, select = self.klass_info, self.select
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(klass_info, select, DEFAULT_DB_ALIAS)
        found = []
        for row in compiler.results_iter(chunks):
            instance = model.from_db(DEFAULT_DB_ALIAS, init_list, row[start:end])
            for populator in related:
                populator.populate(row, instance)
            for name, position in (self.annotation_col_map or {}).items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def _bare(expression):
    if type(expression) is Col:
        return Col(expression.alias, expression.target, expression.output_field)
    return expression


def rows(name: str, key: Hashable, build: Callable[[], QuerySet]) -> list[Model]:
    """Return the model instances of the queryset `build()` returns, its SQL compiled the first time `(name, key)`
    is asked for and kept; `build` is called only then. The key is the caller's promise that it names every input
    of the query (the viewer's facts, the records' keys and states it filters by): the same key must mean the same
    SQL for every reader."""
    return _reads.get_or_build((name, key), lambda: _Read.of(build())).run()


# The reads: six per viewer of a board, 4-30 KB each (their columns' expressions): 1,024 serve about 170 viewers
# at once, in 15 MB at most; past that the least lately used is compiled again, as every read was before.
READS_KEPT = 1024
_reads: Kept[_Read] = Kept(READS_KEPT)


def forget() -> None:
    """Drop every compiled rule and read (for tests that change the schema's rules)."""
    _kept.clear()
    _reads.clear()
