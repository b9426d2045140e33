"""The figures the database's sums decide: one statement summing the rows by organization, marking and seen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models import Count, F, Sum, UniqueConstraint

from ..visibility import Viewer, VisibilityQuerySet
from .by_organization import _figures
from .measures import (
    BEYOND_GREEN,
    MEAN,
    ORGANIZATIONS,
    RECORDS,
    TOTAL,
    Figure,
    Measure,
    _built,
    _plain,
    _Statement,
    _statement,
    _with_seen,
    is_withheld,
)


def summaries(
    queryset: VisibilityQuerySet | Callable[[], VisibilityQuerySet],
    viewer: Viewer,
    measures: dict[str, Measure],
    *,
    group_by: str | None = None,
    key: Hashable | None = None,
) -> tuple[dict[Any, dict[str, Figure]], list]:
    """Return the figures of the groups the database's sums decide, and the groups it leaves undecided.

    One statement: the rows by organization, marking and seen (as `_by_organization` reads them) summed
    again by group, each measure's records and organizations counted seen and not seen, and the markings
    beyond TLP:GREEN its records carry (a distinct bit each), so that a figure resting on such records of one
    or two organizations passes their markings on. A group is undecided only where a total's parts decide
    which organizations it counts: a sector part withheld, or a total's restricted remainder beyond its parts
    from one or two organizations.
    """
    try:
        statement = _statement(
            "sums",
            key,
            viewer,
            measures,
            group_by,
            lambda: _summaries_statement(_built(queryset), viewer, measures, group_by),
        )
    except EmptyResultSet:
        return {}, []
    with connections[statement.using].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        fetched = cursor.fetchall()
    empty = _figures(measures, {})
    result: dict[Any, dict[str, Figure]] = defaultdict(lambda: dict(empty))
    undecided = []
    for row in fetched:
        if not any(row[1:]):
            continue
        figures = _summed_figures(measures, row)
        if figures is None:
            undecided.append(row[0])
        else:
            result[row[0] if group_by else None] = figures
    return result, undecided


# What `summaries` reads of each measure, in the order of its columns.
_COUNTS = ("seen_n", "all_n")
_SUMS = ("seen_sum", "all_sum")
_ORGANIZATIONS = ("seen_orgs", "all_orgs")
_RESTRICTED = ("hidden_orgs", "beyond_seen", "beyond_all")
_PARTS = ("in_parts", "with_parts")
# The beyond-GREEN markings of the records a figure rests on, as the sum of a distinct bit for each marking,
# over the records the viewer sees and over all of them.
_MARKINGS = ("seen_markings", "all_markings")
_BITS = {marking.value: 1 << number for number, marking in enumerate(BEYOND_GREEN)}


def _layout(measure: Measure) -> tuple[str, ...]:
    if measure.kind == ORGANIZATIONS:
        values = _ORGANIZATIONS
    else:
        values = (*_COUNTS, *(_SUMS if measure.kind in (MEAN, TOTAL) else ()))
    return (*values, *_RESTRICTED, *(_PARTS if measure.parts else ()), *_MARKINGS)


def _summaries_statement(
    queryset: VisibilityQuerySet, viewer: Viewer, measures: dict[str, Measure], group_by: str | None
) -> _Statement:
    options = queryset._options()
    aggregates = {}
    for number, measure in enumerate(measures.values()):
        aggregates[f"cg_n{number}"] = Count(measure.expression, filter=measure.filter)
        if measure.kind in (MEAN, TOTAL):
            aggregates[f"cg_s{number}"] = Sum(measure.expression, filter=measure.filter)
    keys = {"cg_org": F(f"{options['owner']}_id"), "cg_marking": F(options["marking"]), "cg_seen": F("_seen")}
    if group_by:
        keys["cg_group"] = F(group_by)
    rows = _with_seen(queryset, viewer).values(**keys).annotate(**aggregates)
    inner, params = rows.query.sql_with_params()
    beyond = f"cg_marking IN ({', '.join(['%s'] * len(BEYOND_GREEN))})"
    index = {name: number for number, name in enumerate(measures)}
    columns, column_params = ["cg_group" if group_by else "0"], []

    one_row = _one_record_per_organization(queryset.model, options["owner"], group_by)

    def organizations(condition: str, *extra) -> None:
        if one_row:  # each organization is one row of its group: counting its rows counts it
            columns.append(f"COUNT(CASE WHEN {condition} THEN 1 END)")
        else:
            columns.append(f"COUNT(DISTINCT CASE WHEN {condition} THEN cg_org END)")
        column_params.extend(extra)

    for number, measure in enumerate(measures.values()):
        n = f"cg_n{number}"
        if measure.kind == ORGANIZATIONS:
            organizations(f"cg_seen AND {n} > 0")
            organizations(f"{n} > 0")
        else:
            columns += [f"SUM(CASE WHEN cg_seen THEN {n} ELSE 0 END)", f"SUM({n})"]
            if measure.kind in (MEAN, TOTAL):
                columns += [f"SUM(CASE WHEN cg_seen THEN cg_s{number} END)", f"SUM(cg_s{number})"]
        organizations(f"NOT cg_seen AND {n} > 0")
        organizations(f"cg_seen AND {n} > 0 AND {beyond}", *BEYOND_GREEN)
        organizations(f"{n} > 0 AND {beyond}", *BEYOND_GREEN)
        if measure.parts:
            in_parts = " OR ".join(f"cg_n{index[part]} > 0" for part in measure.parts)
            organizations(f"NOT cg_seen AND ({in_parts})")
            organizations(f"NOT cg_seen AND ({n} > 0 OR {in_parts})")
        cases = " ".join(f"WHEN cg_marking = %s THEN {_BITS[m.value]}" for m in BEYOND_GREEN)
        for seen in ("cg_seen AND ", ""):
            columns.append(f"SUM(DISTINCT CASE WHEN {seen}{n} > 0 THEN CASE {cases} END END)")
            column_params.extend(m.value for m in BEYOND_GREEN)
    sql = f"SELECT {', '.join(columns)} FROM ({inner}) cg_rows"
    if group_by:
        sql += " GROUP BY cg_group"
    return _Statement(sql, (*column_params, *params), queryset.db)


def _one_record_per_organization(model, owner: str, group_by: str | None) -> bool:
    """Whether the model holds at most one record of an organization in each group: a unique constraint on no
    more than the group's field and the owner, as a needs answer's on its item and organization (a hazard
    assessment's names its community too, so an organization may hold two of a hazard, at two tables)."""
    if group_by is None or "__" in group_by:
        return False
    try:
        fields = {model._meta.get_field(name.removesuffix("_id")).name for name in (group_by, owner)}
    except FieldDoesNotExist:
        return False
    return any(
        isinstance(constraint, UniqueConstraint)
        and constraint.condition is None
        and not constraint.expressions
        and set(constraint.fields) <= fields
        for constraint in model._meta.constraints
    ) or any(set(together) <= fields for together in model._meta.unique_together)


def _summed_figures(measures: dict[str, Measure], row) -> dict[str, Figure] | None:
    """Each measure's figure from one group's sums (`summaries`), or None where they cannot decide it."""
    stats, position = {}, 1
    for name, measure in measures.items():
        layout = _layout(measure)
        stats[name] = dict(
            zip(layout, (_plain(v) for v in row[position : position + len(layout)]), strict=True)
        )
        position += len(layout)
    return _stats_figures(measures, stats)


def _stats_figures(measures: dict[str, Measure], stats: dict[str, dict]) -> dict[str, Figure] | None:
    """`_summed_figures` from each measure's sums by name (`_layout`'s names)."""
    figures = {}
    for name, measure in measures.items():
        s = stats[name]
        withheld = is_withheld(s["hidden_orgs"])
        if measure.parts and not withheld and s["hidden_orgs"]:
            if any(is_withheld(stats[part]["hidden_orgs"]) for part in measure.parts):
                return None  # which organizations the total counts is read by organization
            if is_withheld(s["with_parts"] - s["in_parts"]):
                return None
        which = "seen" if withheld else "all"
        markings = ()
        if is_withheld(s[f"beyond_{which}"]):
            bits = s[f"{which}_markings"] or 0
            markings = tuple(sorted(marking for marking, bit in _BITS.items() if bits & bit))
        if measure.kind == ORGANIZATIONS:
            figures[name] = Figure(s[f"{which}_orgs"], markings, s["hidden_orgs"] if withheld else 0)
            continue
        n = s[f"{which}_n"]
        if measure.kind == RECORDS:
            value = n
        elif not n:
            value = None
        else:
            summed = s[f"{which}_sum"]
            value = summed / n if measure.kind == MEAN else summed
        figures[name] = Figure(value, markings, s["hidden_orgs"] if withheld else 0)
    return figures
