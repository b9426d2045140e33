"""The visibility rules the board reads with, compiled to SQL once per viewer and kept, not built again on each poll.

Everyone at the table polls the board every few seconds, and building and compiling the TLP conditions
(`VisibilityQuerySet.tlp_q`: OR-ed terms with EXISTS subqueries) was most of the poll's CPU. The SQL of a rule is
a function of the viewer's facts alone (their organization, person, communities, co-chairs, roles: every field
of `Viewer`), so it is compiled by the rule itself the first time a viewer with those facts asks, and the text
and its parameters are reused as raw SQL after that. A viewer whose facts change (a new membership, a role
lost) is another key: nothing is kept across a change of the facts. `core/tests/test_board_reads.py` checks
the board's reads equal the lists' for every role.

The board's reads themselves (`rows`) are kept whole the same way (`core.kept_rows`): building a queryset and
compiling its joins and columns cost more than running it, at every poll. Their key names the viewer's facts and every record key and
state the query is built from (`selectors.incident_key`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.db import DEFAULT_DB_ALIAS
from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import RawSQL

from commonground.core.kept import Kept
from commonground.core.kept_rows import forget_kept_rows, kept_rows
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


def rows(name: str, key: Hashable, build: Callable[[], QuerySet]) -> list[Model]:
    """Return the model instances of the queryset `build()` returns, its SQL compiled the first time `(name, key)`
    is asked for and kept; `build` is called only then. The key is the caller's promise that it names every input
    of the query (the viewer's facts, the records' keys and states it filters by): the same key must mean the same
    SQL for every reader."""
    return kept_rows(("incidents", name, key), build)


def forget() -> None:
    """Drop every compiled rule and read (for tests that change the schema's rules)."""
    _kept.clear()
    forget_kept_rows()
