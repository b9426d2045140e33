"""Organizations and participants by sector at the end of each month, and of each quarter, counted in the
database (three queries).

An organization counts from its first seat at any table; a participant (a person of a seated organization)
from the day their record was made. A participants' figure rests on the organizations with a participant by
then; a month's new participants on the organizations of the people whose record was made that month.
`selectors.statistics` decides which of these figures, and of their differences month to month, a reader gets.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, Substr, TruncMonth, TruncQuarter
from django.utils import timezone

from commonground.communities.models import Membership
from commonground.registry.choices import Sector
from commonground.registry.models import Organization, Person

from . import kept

# How many months the figures over time show.
MONTHS = 24
# The periods a series may be counted in: a month, or a calendar quarter (three months).
MONTH, QUARTER = "month", "quarter"
SECTORS = [value for value, _label in Sector.choices]


def recent_months(count: int = MONTHS, *, today: datetime.date | None = None) -> list[datetime.date]:
    """Return the first days of the last `count` months, oldest first, this month last."""
    today = today or timezone.now().astimezone(datetime.UTC).date()
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def period_ends(span: list[datetime.date], period: str = MONTH) -> list[int]:
    """Return the indexes in `span` of the months that end a period: every month, or each calendar quarter's
    last month and the span's last (this month, the quarter so far). The first period holds every month
    before it; whatever the data, a series of quarters has the same periods (its shape tells nothing)."""
    last = len(span) - 1
    if period == MONTH:
        return list(range(last + 1))
    return [index for index, month in enumerate(span) if month.month % 3 == 0 or index == last]


def _start(month: datetime.date, period: str) -> datetime.date:
    """The first month of the period (a calendar month or quarter) that holds `month`."""
    return month if period == MONTH else month.replace(month=(month.month - 1) // 3 * 3 + 1)


def _bucket(field, period: str = MONTH):
    """Return the month (or calendar quarter) of a stored time, in UTC, as the database computes it fastest:
    SQLite's stored text cut to "YYYY-MM" (its TruncMonth calls a Python function for every row; a quarter is
    "YYYY-Q"), PostgreSQL's date_trunc."""
    if connection.vendor == "sqlite":
        text = Cast(field, CharField())
        if period == MONTH:
            return Substr(text, 1, 7)
        number = (Cast(Substr(text, 6, 2), IntegerField()) + Value(2)) / Value(3)
        return Concat(Substr(text, 1, 5), Cast(number, CharField()), output_field=CharField())
    truncate = TruncMonth if period == MONTH else TruncQuarter
    return truncate(field, tzinfo=datetime.UTC)


def _month_key(value) -> datetime.date:
    """The first day of the month (or quarter) a `_bucket` value names."""
    if isinstance(value, str):
        if len(value) == 6:  # "YYYY-Q"
            return datetime.date(int(value[:4]), int(value[5]) * 3 - 2, 1)
        return datetime.date(int(value[:4]), int(value[5:7]), 1)
    return value.date() if isinstance(value, datetime.datetime) else value


def _monthly(rows, starts: list[datetime.date]) -> dict[str, list[int]]:
    """Sum rows of (period, sector, n) into each sector's figure of each period (`starts`: each period's first
    month; the first period's with every period before it)."""
    added: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for month, sector, n in rows:
        if month is None:
            continue
        added[sector][max(_month_key(month), starts[0])] += n
    return {sector: [added[sector].get(start, 0) for start in starts] for sector in SECTORS}


def _cumulative(rows, starts: list[datetime.date]) -> dict[str, list[int]]:
    """Sum rows of (period, sector, n) into each sector's running total at the end of each period."""
    totals = {}
    for sector, series in _monthly(rows, starts).items():
        running, totals[sector] = 0, []
        for n in series:
            running += n
            totals[sector].append(running)
    return totals


def _first(queryset, field: str = "created") -> Subquery:
    return Subquery(queryset.order_by(field, "pk").values(field)[:1])


def seated() -> Exists:
    """Whether an organization sits at some table."""
    return Exists(Membership.objects.filter(organization=OuterRef("pk")))


def _people(period: str):
    """The people of seated organizations by the month (or quarter) of their record and sector: how many, and
    on how many organizations (distinct over the period), each row marked with its period."""
    return (
        Person.objects.filter(Exists(Membership.objects.filter(organization=OuterRef("organization"))))
        .annotate(month=_bucket("created", period))
        .order_by()
        .values("month", "organization__sector")
        .annotate(
            n=Count("pk"),
            organizations=Count("organization", distinct=True),
            period=Value(period, output_field=CharField()),
        )
        .values_list("month", "organization__sector", "n", "organizations", "period")
    )


def _joined():
    """Organizations by the month of their first seat at any table, and sector."""
    return (
        Organization.objects.annotate(joined=_first(Membership.objects.filter(organization=OuterRef("pk"))))
        .filter(joined__isnull=False)
        .annotate(month=_bucket("joined"))
        .order_by()
        .values_list("month", "sector")
        .annotate(n=Count("pk"))
    )


def _with_people():
    """Seated organizations by the month of their first person's record, and sector."""
    return (
        Organization.objects.filter(seated())
        .annotate(first_person=_first(Person.objects.filter(organization=OuterRef("pk"))))
        .filter(first_person__isnull=False)
        .annotate(month=_bucket("first_person"))
        .order_by()
        .values_list("month", "sector")
        .annotate(n=Count("pk"))
    )


def growth_rows(readings: kept.Readings) -> tuple[tuple, tuple, tuple]:
    """The rows the growth is counted from: organizations by the month they joined, people by the month (and
    quarter) of their record, organizations by the month of their first person; the same for every reader."""
    joined = readings.rows("growth joined", _joined, shared=True)
    people = readings.rows(
        "growth people", lambda: _people(MONTH).union(_people(QUARTER), all=True), shared=True
    )
    return joined, people, readings.rows("growth with people", _with_people, shared=True)


def growth_counts(
    months: int = MONTHS, readings: kept.Readings | None = None, span: list[datetime.date] | None = None
) -> dict:
    """Return the months, and for each sector the organizations, the participants and the organizations behind
    the participants at the end of each month, and the organizations behind each month's new participants
    (lists in the months' order; `indexes`: each month's index); under "quarters" the same at the end of each
    calendar quarter and this month (`period_ends`), a quarter's new participants resting on the organizations
    of anyone recorded in it, counted distinct over the quarter (three queries in all, compiled once: `kept`)."""
    span = recent_months(months) if span is None else span
    joined, people, with_people = growth_rows(kept.Readings() if readings is None else readings)
    monthly = [row[:4] for row in people if row[4] == MONTH]
    counts = {
        "months": span,
        "indexes": list(range(len(span))),
        "organizations": _cumulative(joined, span),
        "participants": _cumulative([(month, sector, n) for month, sector, n, _o in monthly], span),
        "behind_participants": _cumulative(with_people, span),
        "behind_new_participants": _monthly([(month, sector, o) for month, sector, _n, o in monthly], span),
    }
    ends = period_ends(span, QUARTER)
    starts = [_start(span[index], QUARTER) for index in ends]
    quarterly = [(month, sector, o) for month, sector, _n, o, period in people if period == QUARTER]
    counts["quarters"] = {
        "months": [span[index] for index in ends],
        "indexes": ends,
        **{
            key: {sector: [values[index] for index in ends] for sector, values in counts[key].items()}
            for key in ("organizations", "participants", "behind_participants")
        },
        "behind_new_participants": _monthly(quarterly, starts),
    }
    return counts
