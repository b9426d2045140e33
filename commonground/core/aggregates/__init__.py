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

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections

from ..visibility import Viewer, VisibilityQuerySet
from .by_organization import _by_organization
from .measures import (
    BEYOND_GREEN,
    KEPT,
    MEAN,
    MINIMUM_ORGANIZATIONS,
    ORGANIZATIONS,
    RECORDS,
    TOTAL,
    Figure,
    Measure,
    count_organizations,
    count_records,
    forget_kept,
    is_withheld,
    mean,
    table_member,
    total,
)  # fmt: skip
from .sums import summaries

__all__ = [
    "BEYOND_GREEN", "KEPT", "MEAN", "MINIMUM_ORGANIZATIONS", "ORGANIZATIONS", "RECORDS", "TOTAL", "Figure", "Measure",
    "any_disclosed", "count_organizations", "count_records", "disclosed_figures", "figure_markings", "forget_kept",
    "is_withheld", "mean", "summaries", "table_member", "total", "_by_organization",
]  # fmt: skip


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


def figure_markings(*figures: Figure) -> list[str]:
    """Return the markings the given figures pass on to the view that shows them."""
    return [m for figure in figures for m in figure.markings]
