"""The figures read by organization: where one or two organizations' records decide a total beside its parts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Sum

from ..visibility import Viewer, VisibilityQuerySet
from .measures import (
    BEYOND_GREEN,
    MEAN,
    ORGANIZATIONS,
    RECORDS,
    TOTAL,
    Figure,
    Measure,
    _built,
    _Part,
    _plain,
    _Statement,
    _statement,
    _with_seen,
    is_withheld,
)


def _by_organization(
    queryset: VisibilityQuerySet | Callable[[], VisibilityQuerySet],
    viewer: Viewer,
    measures: dict[str, Measure],
    *,
    group_by: str | None = None,
    groups: list | None = None,
    key: Hashable | None = None,
) -> dict[Any, dict[str, Figure]]:
    """The figures from a row an organization, marking and whether the viewer sees them (and group), of the
    given groups only where named (with `group_by`)."""

    def build() -> _Statement:
        chosen = _built(queryset)
        if groups is not None:
            chosen = chosen.filter(**{f"{group_by}__in": list(groups)})
        options = chosen._options()
        owner, marking = f"{options['owner']}_id", options["marking"]
        aggregates = {}
        for name, measure in measures.items():
            aggregates[f"{name}__n"] = Count(measure.expression, filter=measure.filter)
            if measure.kind in (MEAN, TOTAL):
                aggregates[f"{name}__sum"] = Sum(measure.expression, filter=measure.filter)
        keys = [*([group_by] if group_by else []), owner, marking, "_seen"]
        rows = _with_seen(chosen, viewer).values(*keys).annotate(**aggregates)
        query = rows.query
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        sql, params = query.sql_with_params()
        return _Statement(sql, tuple(params), chosen.db, (owner, marking, *names))

    kind = ("by organization", None if groups is None else tuple(groups))
    try:
        statement = _statement(kind, key, viewer, measures, group_by, build)
    except EmptyResultSet:
        return {None: _figures(measures, {})} if group_by is None else {}
    (owner, marking, *names) = statement.names
    with connections[statement.using].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        fetched = cursor.fetchall()
    parts: dict[Any, dict[str, list[_Part]]] = defaultdict(lambda: defaultdict(list))
    for values in fetched:
        row = dict(zip(names, values, strict=True))
        group = row[group_by] if group_by else None
        for name in measures:
            if row[f"{name}__n"]:
                parts[group][name].append(
                    _Part(
                        row[owner],
                        row[marking],
                        bool(row["_seen"]),
                        row[f"{name}__n"],
                        _plain(row.get(f"{name}__sum")),
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
