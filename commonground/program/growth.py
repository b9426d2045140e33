"""Organizations and participants by sector at the end of each month, counted in the database (three queries).

An organization counts from its first seat at any table; a participant (a person of a seated organization)
from the day their record was made. A participants' figure rests on the organizations with a participant by
then; a month's new participants on the organizations of the people whose record was made that month.
`selectors.statistics` decides which of these figures, and of their differences month to month, a reader gets.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import CharField, Count, Exists, OuterRef, Subquery
from django.db.models.functions import Cast, Substr, TruncMonth
from django.utils import timezone

from commonground.communities.models import Membership
from commonground.registry.choices import Sector
from commonground.registry.models import Organization, Person

# How many months the figures over time show.
MONTHS = 24
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


def _month(field):
    """Return the month of a stored time, in UTC, as the database computes it fastest: SQLite's stored text cut
    to "YYYY-MM" (its TruncMonth calls a Python function for every row), PostgreSQL's date_trunc."""
    if connection.vendor == "sqlite":
        return Substr(Cast(field, CharField()), 1, 7)
    return TruncMonth(field, tzinfo=datetime.UTC)


def _month_key(value) -> datetime.date:
    if isinstance(value, str):
        return datetime.date(int(value[:4]), int(value[5:7]), 1)
    return value.date() if isinstance(value, datetime.datetime) else value


def _monthly(rows, months: list[datetime.date]) -> dict[str, list[int]]:
    """Sum rows of (month, sector, n) into each sector's figure of each month (the first month's with every
    month before it)."""
    added: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for month, sector, n in rows:
        if month is None:
            continue
        added[sector][max(_month_key(month), months[0])] += n
    return {sector: [added[sector].get(month, 0) for month in months] for sector in SECTORS}


def _cumulative(rows, months: list[datetime.date]) -> dict[str, list[int]]:
    """Sum rows of (month, sector, n) into each sector's running total at the end of each month."""
    totals = {}
    for sector, series in _monthly(rows, months).items():
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


def growth_counts(months: int = MONTHS) -> dict:
    """Return the months, and for each sector the organizations, the participants and the organizations behind
    the participants at the end of each month, and the organizations behind each month's new participants
    (lists in the months' order)."""
    span = recent_months(months)
    joined = (
        Organization.objects.annotate(joined=_first(Membership.objects.filter(organization=OuterRef("pk"))))
        .filter(joined__isnull=False)
        .annotate(month=_month("joined"))
        .order_by()
        .values_list("month", "sector")
        .annotate(n=Count("pk"))
    )
    people = (
        Person.objects.filter(Exists(Membership.objects.filter(organization=OuterRef("organization"))))
        .annotate(month=_month("created"))
        .order_by()
        .values_list("month", "organization__sector")
        .annotate(n=Count("pk"), organizations=Count("organization", distinct=True))
    )
    with_people = (
        Organization.objects.filter(seated())
        .annotate(first_person=_first(Person.objects.filter(organization=OuterRef("pk"))))
        .filter(first_person__isnull=False)
        .annotate(month=_month("first_person"))
        .order_by()
        .values_list("month", "sector")
        .annotate(n=Count("pk"))
    )
    people = list(people)
    return {
        "months": span,
        "organizations": _cumulative(joined, span),
        "participants": _cumulative([(month, sector, n) for month, sector, n, _o in people], span),
        "behind_participants": _cumulative(with_people, span),
        "behind_new_participants": _monthly([(month, sector, o) for month, sector, _n, o in people], span),
    }
