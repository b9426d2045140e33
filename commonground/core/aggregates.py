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
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, Sum, Value, When

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
    The organizations' rows are summed in the database (`summaries`): a figure needs them one by one only
    where one or two organizations' records decide it (a restricted part left out, a marking passed on, a
    total's remainder beside its parts), and only those groups are read again by organization.
    """
    result, undecided = summaries(queryset, viewer, measures, group_by=group_by)
    if undecided:
        chosen = queryset.filter(**{f"{group_by}__in": undecided}) if group_by else queryset
        result.update(_by_organization(chosen, viewer, measures, group_by=group_by))
    if group_by is None:
        return {None: result[None]}
    return result


def any_disclosed(queryset: VisibilityQuerySet, viewer: Viewer) -> bool:
    """Whether `count_organizations()` is above 0 for the viewer, without counting: a record the viewer sees,
    or records of three organizations (none of which the viewer sees). One query that stops at what it needs."""
    from django.db import connections

    owner = f"{queryset._options()['owner']}_id"
    seen, seen_params = (
        queryset.filter(queryset.tlp_q(viewer)).order_by().values("pk")[:1].query.sql_with_params()
    )
    first = queryset.order_by().values_list(owner, flat=True).distinct()[:MINIMUM_ORGANIZATIONS]
    owners, owner_params = first.query.sql_with_params()
    sql = (
        f"SELECT CASE WHEN EXISTS ({seen}) THEN 1 "
        f"WHEN (SELECT COUNT(*) FROM ({owners}) cg_owners) >= %s THEN 1 ELSE 0 END"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [*seen_params, *owner_params, MINIMUM_ORGANIZATIONS])
        return bool(cursor.fetchone()[0])


def summaries(
    queryset: VisibilityQuerySet, viewer: Viewer, measures: dict[str, Measure], *, group_by: str | None = None
) -> tuple[dict[Any, dict[str, Figure]], list]:
    """Return the figures of the groups the database's sums decide, and the groups it leaves undecided.

    One statement: the rows by organization, marking and seen (as `_by_organization` reads them) summed
    again by group, each measure's records and organizations counted seen and not seen. A group is
    undecided where one or two organizations matter: restricted records beyond TLP:GREEN from one or two
    organizations in a figure (its marking names them), a sector part withheld, or a total's restricted
    remainder beyond its parts from one or two organizations.
    """
    from django.db import connections

    options = queryset._options()
    aggregates = {}
    for number, measure in enumerate(measures.values()):
        aggregates[f"cg_n{number}"] = Count(measure.expression, filter=measure.filter)
        if measure.kind in (MEAN, TOTAL):
            aggregates[f"cg_s{number}"] = Sum(measure.expression, filter=measure.filter)
    keys = {"cg_org": F(f"{options['owner']}_id"), "cg_marking": F(options["marking"]), "cg_seen": F("_seen")}
    if group_by:
        keys["cg_group"] = F(group_by)
    rows = (
        queryset.order_by()
        .annotate(_seen=Case(When(queryset.tlp_q(viewer), then=Value(True)), default=Value(False)))
        .values(**keys)
        .annotate(**aggregates)
    )
    inner, params = rows.query.sql_with_params()
    beyond = f"cg_marking IN ({', '.join(['%s'] * len(BEYOND_GREEN))})"
    columns, column_params = ["cg_group" if group_by else "0"], []
    index = {name: number for number, name in enumerate(measures)}

    def organizations(condition: str, *extra) -> None:
        columns.append(f"COUNT(DISTINCT CASE WHEN {condition} THEN cg_org END)")
        column_params.extend(extra)

    for number, measure in enumerate(measures.values()):
        n = f"cg_n{number}"
        columns += [f"SUM(CASE WHEN cg_seen THEN {n} ELSE 0 END)", f"SUM({n})"]
        if measure.kind in (MEAN, TOTAL):
            columns += [f"SUM(CASE WHEN cg_seen THEN cg_s{number} END)", f"SUM(cg_s{number})"]
        organizations(f"cg_seen AND {n} > 0")
        organizations(f"NOT cg_seen AND {n} > 0")
        organizations(f"{n} > 0")
        organizations(f"cg_seen AND {n} > 0 AND {beyond}", *BEYOND_GREEN)
        organizations(f"{n} > 0 AND {beyond}", *BEYOND_GREEN)
        if measure.parts:
            in_parts = " OR ".join(f"cg_n{index[part]} > 0" for part in measure.parts)
            organizations(f"NOT cg_seen AND ({in_parts})")
            organizations(f"NOT cg_seen AND ({n} > 0 OR {in_parts})")
    sql = f"SELECT {', '.join(columns)} FROM ({inner}) cg_rows"
    if group_by:
        sql += " GROUP BY cg_group"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [*column_params, *params])
        fetched = cursor.fetchall()
    empty = _figures(measures, {})
    result: dict[Any, dict[str, Figure]] = defaultdict(lambda: dict(empty))
    undecided = []
    for row in fetched:
        if not any(row[1:]):
            continue
        figures = _summed_figures(measures, [_plain(value) for value in row[1:]])
        if figures is None:
            undecided.append(row[0])
        else:
            result[row[0] if group_by else None] = figures
    return result, undecided


def _plain(value):
    """A sum as Python reads it on both engines: PostgreSQL's SUM of integers is numeric (a Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _summed_figures(measures: dict[str, Measure], row: list) -> dict[str, Figure] | None:
    """Each measure's figure from one group's sums (`summaries`), or None where they cannot decide it."""
    stats = {}
    for name, measure in measures.items():
        summed = measure.kind in (MEAN, TOTAL)
        stats[name] = [row.pop(0) for _ in range(2 + 2 * summed + 5 + 2 * bool(measure.parts))]
    hidden = {
        name: values[2 + 2 * (m.kind in (MEAN, TOTAL)) + 1]
        for (name, values), m in zip(stats.items(), measures.values(), strict=True)
    }
    figures = {}
    for name, measure in sorted(measures.items(), key=lambda pair: bool(pair[1].parts)):
        values = stats[name]
        seen_n, all_n = values.pop(0), values.pop(0)
        seen_sum, all_sum = (values.pop(0), values.pop(0)) if measure.kind in (MEAN, TOTAL) else (None, None)
        seen_orgs, hidden_orgs, all_orgs, beyond_seen, beyond_all = values[:5]
        withheld = is_withheld(hidden_orgs)
        if is_withheld(beyond_seen if withheld else beyond_all):
            return None  # which markings it passes on is read by organization
        if measure.parts and not withheld and hidden_orgs:
            in_parts, with_parts = values[5:]
            if any(is_withheld(hidden[part]) for part in measure.parts):
                return None
            if is_withheld(with_parts - in_parts):
                return None
        n = seen_n if withheld else all_n
        summed = _number(seen_sum if withheld else all_sum)
        if measure.kind == ORGANIZATIONS:
            value = seen_orgs if withheld else all_orgs
        elif measure.kind == RECORDS:
            value = n
        elif not n:
            value = None
        else:
            value = summed / n if measure.kind == MEAN else summed
        figures[name] = Figure(value, (), hidden_orgs if withheld else 0)
    return {name: figures[name] for name in measures}


def _number(value):
    """A database's sum as Python sums it: PostgreSQL sums integers as numeric (a Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _by_organization(
    queryset: VisibilityQuerySet, viewer: Viewer, measures: dict[str, Measure], *, group_by: str | None = None
) -> dict[Any, dict[str, Figure]]:
    """The figures from a row an organization, marking and whether the viewer sees them (and group)."""
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
