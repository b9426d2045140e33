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
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, Q, Sum, Value, When

from .kept import Kept
from .tlp import TLP
from .visibility import Viewer, VisibilityQuerySet, viewer_facts

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


@dataclass(frozen=True)
class _Statement:
    """A compiled statement, and the names of its columns where its rows are read by name."""

    sql: str
    params: tuple
    using: str
    names: tuple[str, ...] = ()


# Statements compiled in this process, by the caller's key, the measures' names, the grouping and the
# viewer's facts: a few hundred readers, a few figures each; a statement is a few kilobytes.
KEPT = 1_000
_kept: Kept[_Statement] = Kept(KEPT)


def forget_kept() -> None:
    """Drop every kept statement (for tests that change how a figure is built)."""
    _kept.clear()


def _statement(kind: Hashable, key: Hashable | None, viewer: Viewer, measures, group_by, build) -> _Statement:
    if key is None:
        return build()
    return _kept.get_or_build((kind, key, tuple(measures), group_by, viewer_facts(viewer)), build)


def _built(queryset) -> VisibilityQuerySet:
    return queryset() if callable(queryset) else queryset


def disclosed_figures(
    queryset: VisibilityQuerySet | Callable[[], VisibilityQuerySet],
    viewer: Viewer,
    measures: dict[str, Measure],
    *,
    group_by: str | None = None,
    key: Hashable | None = None,
) -> dict[Any, dict[str, Figure]]:
    """Return, for each value of `group_by` (the key None without one), each measure's figure for the viewer.

    One query groups the records by organization, marking and whether the viewer may see them; each
    figure then takes the seen parts, and the restricted parts only when three or more organizations'
    restricted records pass its filter.
    The organizations' rows are summed in the database (`summaries`): a figure needs them one by one only
    where one or two organizations' records decide a total beside its parts (a part withheld, or a total's
    remainder beyond its parts), and only those groups are read again by organization.

    With a `key`, the SQL is compiled once in the process for that key, the measures' names, `group_by` and
    the viewer's facts (`core.kept`): the key must name everything else `queryset` and `measures` are built
    from (the kind of figure, the community or assessment, the ids the records are narrowed to). `queryset`
    may be a function that builds the queryset, called only when its SQL is not kept.
    """
    result, undecided = summaries(queryset, viewer, measures, group_by=group_by, key=key)
    if undecided:
        groups = undecided if group_by else None
        result.update(_by_organization(queryset, viewer, measures, group_by=group_by, groups=groups, key=key))
    if group_by is None:
        return {None: result[None]}
    return result


def any_disclosed(queryset: VisibilityQuerySet, viewer: Viewer) -> bool:
    """Whether `count_organizations()` is above 0 for the viewer, without counting: a record the viewer sees,
    or records of three organizations (none of which the viewer sees). One query that stops at what it needs."""
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


def _with_seen(queryset: VisibilityQuerySet, viewer: Viewer) -> VisibilityQuerySet:
    """The records, each annotated with whether the viewer may see it (`_seen`)."""
    return queryset.order_by().annotate(
        _seen=Case(When(queryset.tlp_q(viewer), then=Value(True)), default=Value(False))
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

    def organizations(condition: str, *extra) -> None:
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


def _plain(value):
    """A sum as Python reads it on both engines: PostgreSQL's SUM of integers is numeric (a Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _summed_figures(measures: dict[str, Measure], row) -> dict[str, Figure] | None:
    """Each measure's figure from one group's sums (`summaries`), or None where they cannot decide it."""
    stats, position = {}, 1
    for name, measure in measures.items():
        layout = _layout(measure)
        stats[name] = dict(
            zip(layout, (_plain(v) for v in row[position : position + len(layout)]), strict=True)
        )
        position += len(layout)
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


def figure_markings(*figures: Figure) -> list[str]:
    """Return the markings the given figures pass on to the view that shows them."""
    return [m for figure in figures for m in figure.markings]
