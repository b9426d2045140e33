"""Aggregates over marked records, and DESIGN's rule that keeps them from revealing a restricted record.

Every figure shown to a reader (a count, a mean, one cell of a breakdown, a step's progress line) is
computed here, each figure on its own. Records the reader may see one by one always go into it; the
records the reader may not see (restricted records) go into it only when they come from at least three
organizations. Restricted records of one or two organizations are left out of that figure without a trace,
so that adding or removing one never moves a figure the reader sees: a "withheld" mark in its place would
itself tell the reader that such a record exists. A total shown beside its breakdown by sector follows
one more rule (`Measure.parts`), so that subtracting the shown parts from it singles out no one.

Pages and the API compute figures for their reader; a step's progress line is the same for everyone who
sees it, so it is computed for the least-privileged of them (`table_member`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Q, Sum, Value, When

from .tlp import TLP
from .visibility import Viewer, VisibilityQuerySet

MINIMUM_ORGANIZATIONS = 3

# Markings a plain member of the table cannot see, whatever records they are on.
BEYOND_GREEN = (TLP.AMBER, TLP.AMBER_STRICT, TLP.RED)

ORGANIZATIONS, RECORDS, MEAN, TOTAL = "organizations", "records", "mean", "total"


@dataclass(frozen=True)
class Measure:
    """What one figure computes over the records that pass its filter."""

    kind: str
    expression: Any = "pk"
    filter: Q | None = None
    # For a total shown beside its breakdown by organization (each sector's count or mean): the names of
    # the parts. Subtracting the parts the reader sees from the total must not single out one or two
    # organizations' restricted records, so what the total counts beyond its parts comes from none or
    # from three or more organizations; otherwise the total counts only what its parts count.
    parts: tuple[str, ...] = ()


def count_organizations(filter: Q | None = None, *, parts: tuple[str, ...] = ()) -> Measure:
    """Count the distinct organizations that own a record passing the filter."""
    return Measure(ORGANIZATIONS, "pk", filter, parts)


def count_records(filter: Q | None = None) -> Measure:
    """Count the records that pass the filter."""
    return Measure(RECORDS, "pk", filter)


def mean(expression: Any, filter: Q | None = None, *, parts: tuple[str, ...] = ()) -> Measure:
    """Average an expression over the records that pass the filter (None when there are none)."""
    return Measure(MEAN, expression, filter, parts)


def total(expression: Any, filter: Q | None = None) -> Measure:
    """Sum an expression over the records that pass the filter (None when there are none)."""
    return Measure(TOTAL, expression, filter)


@dataclass(frozen=True)
class Figure:
    """One figure as one reader may see it."""

    value: Any
    # The beyond-GREEN markings of the records it rests on, when those come from one or two organizations:
    # a plain member would not get this figure, so a view that shows it carries the narrowest of them.
    markings: tuple[str, ...] = ()
    # How many organizations' restricted records were left out; never shown, for the marking and tests.
    left_out: int = 0


def is_withheld(restricted_organizations: int) -> bool:
    """Whether restricted records of this many organizations must stay out of a figure."""
    return 0 < restricted_organizations < MINIMUM_ORGANIZATIONS


def table_member(community_id: int) -> Viewer:
    """Return the least-privileged reader at a community's table: a member whose organization owns no
    record and is named on none, so who sees TLP:CLEAR and TLP:GREEN records only."""
    return Viewer(user_id=0, community_ids=frozenset({community_id}))


@dataclass
class _Part:
    organization: int
    marking: str
    seen: bool
    n: int
    sum: Any


def disclosed_figures(
    queryset: VisibilityQuerySet, viewer: Viewer, measures: dict[str, Measure], *, group_by: str | None = None
) -> dict[Any, dict[str, Figure]]:
    """Return, for each value of `group_by` (the key None without one), each measure's figure for the viewer.

    One query groups the records by organization, marking and whether the viewer may see them; each
    figure then takes the seen parts, and the restricted parts only when three or more organizations'
    restricted records pass its filter.
    """
    options = queryset._options()
    owner, marking = f"{options['owner']}_id", options["marking"]
    aggregates = {}
    for name, measure in measures.items():
        aggregates[f"{name}__n"] = Count(measure.expression, filter=measure.filter)
        if measure.kind in (MEAN, TOTAL):
            aggregates[f"{name}__sum"] = Sum(measure.expression, filter=measure.filter)
    keys = [*([group_by] if group_by else []), owner, marking, "_seen"]
    rows = (
        queryset.order_by()
        .annotate(_seen=Case(When(queryset.tlp_q(viewer), then=Value(True)), default=Value(False)))
        .values(*keys)
        .annotate(**aggregates)
    )
    parts: dict[Any, dict[str, list[_Part]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        group = row[group_by] if group_by else None
        for name in measures:
            if row[f"{name}__n"]:
                parts[group][name].append(
                    _Part(
                        row[owner],
                        row[marking],
                        bool(row["_seen"]),
                        row[f"{name}__n"],
                        row.get(f"{name}__sum"),
                    )
                )
    empty = _figures(measures, {})
    result: dict[Any, dict[str, Figure]] = defaultdict(lambda: dict(empty))
    for group, by_measure in parts.items():
        result[group] = _figures(measures, by_measure)
    if group_by is None:
        return {None: result[None]}
    return result


def _figures(measures: dict[str, Measure], by_measure: dict[str, list[_Part]]) -> dict[str, Figure]:
    figures, counted = {}, {}
    for name, measure in sorted(measures.items(), key=lambda pair: bool(pair[1].parts)):
        parts = by_measure.get(name, [])
        hidden = {p.organization for p in parts if not p.seen}
        allowed = set() if is_withheld(len(hidden)) else hidden
        if measure.parts:
            in_parts = set().union(*(counted[part] for part in measure.parts))
            if is_withheld(len(allowed - in_parts)):
                allowed = in_parts
        included = [p for p in parts if p.seen or p.organization in allowed]
        counted[name] = {p.organization for p in included if not p.seen}
        figures[name] = _figure(measure, included, left_out=len(hidden - counted[name]))
    return {name: figures[name] for name in measures}


def _figure(measure: Measure, included: list[_Part], left_out: int = 0) -> Figure:
    beyond = [p for p in included if p.marking in BEYOND_GREEN]
    beyond_organizations = {p.organization for p in beyond}
    markings = tuple(sorted({p.marking for p in beyond})) if is_withheld(len(beyond_organizations)) else ()
    n = sum(p.n for p in included)
    if measure.kind == ORGANIZATIONS:
        value = len({p.organization for p in included})
    elif measure.kind == RECORDS:
        value = n
    elif not n:
        value = None
    else:
        summed = sum(p.sum for p in included)
        value = summed / n if measure.kind == MEAN else summed
    return Figure(value, markings, left_out)


def figure_markings(*figures: Figure) -> list[str]:
    """Return the markings the given figures pass on to the view that shows them."""
    return [m for figure in figures for m in figure.markings]
