"""Measures, figures and the rule's threshold: what every aggregate is made of, and its compiled statements kept."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Q, Value, When

from ..kept import Kept
from ..tlp import TLP
from ..visibility import Viewer, VisibilityQuerySet, viewer_facts

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


def _with_seen(queryset: VisibilityQuerySet, viewer: Viewer) -> VisibilityQuerySet:
    """The records, each annotated with whether the viewer may see it (`_seen`)."""
    return queryset.order_by().annotate(
        _seen=Case(When(queryset.tlp_q(viewer), then=Value(True)), default=Value(False))
    )


def _plain(value):
    """A sum as Python reads it on both engines: PostgreSQL's SUM of integers is numeric (a Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
