"""The statistics' queries, their SQL compiled once in the process and read as raw rows.

Each statistic is a fixed GROUP BY (the organizations by sector, the growth by month), or one over the TLP
conditions of the reader (the incidents); building and compiling them cost the statistics page about ten times
what running them does. `rows` keeps a query's SQL under its name and whatever else it is made of
(`core.counting.compiled`): nothing for a fixed query, every fact of the `Viewer` for one that reads through
`visible_to`, and reads it as the database answers (no field converters: the callers read counts, texts and
the months the database truncated, which `growth._month_key` takes either way).

What is computed from those rows alone (the statistics' settled figures: most of the page's time once the SQL
is kept) is kept too (`computed`), under the rows themselves (`Readings`): a reader whose rows differ in any
way, an incident more that they may see or a seat taken since, is another key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from commonground.core.counting import compiled
from commonground.core.kept import Kept
from commonground.core.visibility import viewer_facts

facts = viewer_facts  # every fact of the viewer, as a key


def rows(name: str, build: Callable[[], QuerySet], *key) -> list[tuple]:
    """Return the rows of the grouped query `build` returns, its SQL compiled once for `name` and `key` (which
    must name everything the query is made of)."""
    try:
        sql, params = compiled(build, ("program", name, *key), using=DEFAULT_DB_ALIAS)
    except EmptyResultSet:  # a condition that matches nothing: a grouped query has no row
        return []
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Readings(dict):
    """The rows each query of one computation read, by the query's name: each read once, and all of them
    named in the key of what is computed from them (`computed`). With `shared` (a request's `stamp.Shared`),
    the rows the same for every reader are read from what is kept under the program's token."""

    def __init__(self, shared=None):
        super().__init__()
        self.shared = shared

    def rows(self, name: str, build: Callable[[], QuerySet], *key, shared: bool = False) -> tuple:
        """The rows of `build`'s query; `shared`: the same for every reader (`key` names nothing of theirs)."""
        if name not in self:

            def read() -> tuple:
                return tuple(rows(name, build, *key))

            kept_rows = self.shared is not None and shared
            self[name] = self.shared.rows(name, read) if kept_rows else read()
        return self[name]

    def key(self) -> tuple:
        return tuple(sorted(self.items()))


# What was computed from readings, by the readings and whatever else it was computed from: a few readers'
# figures (a visitor's, a member's, a facilitator's) for the latest data.
COMPUTED_KEPT = 32
_computed: Kept = Kept(COMPUTED_KEPT)


def computed(key: Hashable, build: Callable[[], object]):
    """Return what `build` computes, kept by `key`: it must name everything `build` reads (its readings, the
    language of the labels it writes, the day), and nobody may change what it returns."""
    return _computed.get_or_build(key, build)


def forget() -> None:
    """Drop every kept computation (tests that count how often a plan is settled do)."""
    _computed.clear()
