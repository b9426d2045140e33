"""Reads of the program-wide statistics, each one a GROUP BY in the database, never rows loaded to be counted.

Every figure rests on some organizations. A visitor gets a figure only when it rests on none or on at least
`core.aggregates.MINIMUM_ORGANIZATIONS` (three) organizations; otherwise the figure is suppressed and the page
says so (`Cell.suppressed`). Facilitators see every figure in full. Marked records (incidents) are counted
through their `visible_to(viewer)` querysets, so a visitor's figures count TLP:CLEAR records only. A
community's name, place and how far along its six steps it is are the program's public face.

Every function here costs a fixed number of queries, however many communities and organizations there are.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.communities.models import Community, Membership
from commonground.communities.progress import DONE, IN_PROGRESS, STEP_TITLES
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.visibility import Viewer
from commonground.incidents.choices import IncidentStatus
from commonground.incidents.models import Incident
from commonground.newsletters.choices import NewsletterStatus
from commonground.newsletters.models import Newsletter
from commonground.registry.choices import Sector
from commonground.registry.models import Organization, Person
from commonground.socialcapital.models import NetworkSnapshot

from .models import STATUS_RANK, StepRecord
from .permissions import sees_full_figures

# How many months the figures over time show.
MONTHS = 24
SECTORS = [value for value, _label in Sector.choices]


@dataclass(frozen=True)
class Cell:
    """One figure as one reader may see it: its value, or suppressed (None) when it rests on one or two
    organizations and the reader is not a facilitator."""

    value: int | float | None
    suppressed: bool = False

    def as_json(self) -> dict:
        return {"value": self.value, "suppressed": self.suppressed}


SUPPRESSED = Cell(None, True)


def is_small(organizations: int) -> bool:
    return 0 < organizations < MINIMUM_ORGANIZATIONS


def disclose(value, organizations: int, *, viewer: Viewer) -> Cell:
    """Return the figure for the viewer: suppressed for a visitor when it rests on one or two organizations."""
    if not sees_full_figures(viewer) and is_small(organizations):
        return SUPPRESSED
    return Cell(value)


def disclose_total(value, organizations: int, parts: list[tuple[Cell, int]], *, viewer: Viewer) -> Cell:
    """A total shown beside its parts: suppressed too when the parts suppressed beside it rest on one or two
    organizations between them (the total less the shown parts would tell them)."""
    if sees_full_figures(viewer):
        return Cell(value)
    hidden = sum(organizations for cell, organizations in parts if cell.suppressed)
    if is_small(hidden):
        return SUPPRESSED
    return disclose(value, organizations, viewer=viewer)


# Headline figures ----------------------------------------------------------------------------------------
# Each is (key, label, function(viewer) -> Cell), one query each; another app's figure is one more line.


def _communities(viewer: Viewer) -> Cell:
    return Cell(Community.objects.count())


def _seated() -> Exists:
    return Exists(Membership.objects.filter(organization=OuterRef("pk")))


def _organizations(viewer: Viewer) -> Cell:
    n = Organization.objects.filter(_seated()).count()
    return disclose(n, n, viewer=viewer)


def _participants(viewer: Viewer) -> Cell:
    seated = Exists(Membership.objects.filter(organization=OuterRef("organization")))
    row = Person.objects.filter(seated).aggregate(
        n=Count("pk"), organizations=Count("organization", distinct=True)
    )
    return disclose(row["n"], row["organizations"], viewer=viewer)


def _incidents(viewer: Viewer) -> Cell:
    row = Incident.objects.visible_to(viewer).aggregate(
        n=Count("pk"), organizations=Count("organization", distinct=True)
    )
    return disclose(row["n"], row["organizations"], viewer=viewer)


def _newsletters(viewer: Viewer) -> Cell:
    """Editions sent; a visitor counts the public ones (their TLP:CLEAR parts are published anyway)."""
    sent = Newsletter.objects.exclude(status=NewsletterStatus.DRAFT)
    return Cell((sent if sees_full_figures(viewer) else sent.public()).count())


FIGURES = [
    ("communities", _("Communities"), _communities),
    ("organizations", _("Member organizations"), _organizations),
    ("participants", _("Participants"), _participants),
    ("incidents", _("Incidents managed"), _incidents),
    ("newsletters", _("Newsletters sent"), _newsletters),
]


def headline_figures(*, viewer: Viewer) -> list[dict]:
    """Return each headline figure for the viewer: key, label and cell."""
    return [{"key": key, "label": label, "cell": compute(viewer)} for key, label, compute in FIGURES]


# Communities: where they are ------------------------------------------------------------------------------


def community_places(*, viewer: Viewer) -> list[dict]:
    """Return each community's name, state and centre, for the map (one query)."""
    return list(
        Community.objects.order_by("name", "pk").values(
            "pk", "name", "slug", "state", "center_latitude", "center_longitude"
        )
    )


def communities_by_state(*, viewer: Viewer) -> list[dict]:
    """Return, for each state, how many communities and (suppressed for a visitor when one or two) how many
    organizations sit at their tables (one query)."""
    states = dict(Community._meta.get_field("state").choices)
    rows = (
        Membership.objects.order_by()
        .values("community__state")
        .annotate(organizations=Count("organization", distinct=True))
    )
    organizations = {row["community__state"]: row["organizations"] for row in rows}
    result = []
    for row in Community.objects.order_by().values("state").annotate(n=Count("pk")).order_by("state"):
        seated = organizations.get(row["state"], 0)
        result.append(
            {
                "state": row["state"],
                "state_name": states.get(row["state"], row["state"]),
                "communities": row["n"],
                "organizations": disclose(seated, seated, viewer=viewer),
            }
        )
    return result


# Over time ------------------------------------------------------------------------------------------------


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


def _cumulative(rows, months: list[datetime.date]) -> dict[str, list[int]]:
    """Sum rows of (month, sector, n) into each sector's running total at the end of each month."""
    added: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for month, sector, n in rows:
        if month is None:
            continue
        key = _month_key(month)
        added[sector][max(key, months[0]) if key < months[0] else key] += n
    totals = {}
    for sector in SECTORS:
        running, series = 0, []
        for month in months:
            running += added[sector].get(month, 0)
            series.append(running)
        totals[sector] = series
    return totals


def _first(queryset, field: str = "created") -> Subquery:
    return Subquery(queryset.order_by(field, "pk").values(field)[:1])


def growth(*, viewer: Viewer, months: int = MONTHS) -> dict:
    """Return organizations and participants by sector at the end of each of the last months (three queries).

    An organization counts from its first seat at any table; a participant (a person of a seated
    organization) from the day their record was made. A participants' cell rests on the organizations with a
    participant by then.
    """
    span = recent_months(months)
    joined = (
        Organization.objects.annotate(joined=_first(Membership.objects.filter(organization=OuterRef("pk"))))
        .filter(joined__isnull=False)
        .annotate(month=_month("joined"))
        .order_by()
        .values_list("month", "sector")
        .annotate(n=Count("pk"))
    )
    organizations = _cumulative(joined, span)
    seated = Exists(Membership.objects.filter(organization=OuterRef("organization")))
    people = (
        Person.objects.filter(seated)
        .annotate(month=_month("created"))
        .order_by()
        .values_list("month", "organization__sector")
        .annotate(n=Count("pk"))
    )
    participants = _cumulative(people, span)
    with_people = (
        Organization.objects.filter(_seated())
        .annotate(first_person=_first(Person.objects.filter(organization=OuterRef("pk"))))
        .filter(first_person__isnull=False)
        .annotate(month=_month("first_person"))
        .order_by()
        .values_list("month", "sector")
        .annotate(n=Count("pk"))
    )
    behind_participants = _cumulative(with_people, span)
    rows = []
    for index, month in enumerate(span):
        org_cells = [
            (
                disclose(organizations[s][index], organizations[s][index], viewer=viewer),
                organizations[s][index],
            )
            for s in SECTORS
        ]
        people_cells = [
            (
                disclose(participants[s][index], behind_participants[s][index], viewer=viewer),
                behind_participants[s][index],
            )
            for s in SECTORS
        ]
        org_total = sum(organizations[s][index] for s in SECTORS)
        behind_total = sum(behind_participants[s][index] for s in SECTORS)
        rows.append(
            {
                "month": month,
                "organizations": [cell for cell, _n in org_cells],
                "organizations_total": disclose_total(org_total, org_total, org_cells, viewer=viewer),
                "participants": [cell for cell, _n in people_cells],
                "participants_total": disclose_total(
                    sum(participants[s][index] for s in SECTORS), behind_total, people_cells, viewer=viewer
                ),
            }
        )
    return {"sectors": [(value, label) for value, label in Sector.choices], "rows": rows}


# Incidents -------------------------------------------------------------------------------------------------


def incidents_by_status(*, viewer: Viewer) -> list[dict]:
    """Return the incidents the viewer may see counted by status, each with the organizations that opened them
    behind it (one query; a visitor counts TLP:CLEAR incidents only)."""
    rows = {
        row["status"]: row
        for row in Incident.objects.visible_to(viewer)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), organizations=Count("organization", distinct=True))
    }
    return [
        {
            "status": value,
            "label": label,
            "cell": disclose(
                rows.get(value, {}).get("n", 0), rows.get(value, {}).get("organizations", 0), viewer=viewer
            ),
        }
        for value, label in IncidentStatus.choices
    ]


# Networks --------------------------------------------------------------------------------------------------


def _latest_snapshots(viewer: Viewer):
    """Each community's latest network snapshot: the viewer's own (facilitators: all); for everyone else the
    snapshots of networks of at least three organizations, whose figures are aggregates (`ties.table_viewer`
    measured them as a plain member of the table sees the record)."""
    if sees_full_figures(viewer):
        snapshots = NetworkSnapshot.objects.visible_to(viewer)
    else:
        snapshots = NetworkSnapshot.objects.filter(measures__organizations__gte=MINIMUM_ORGANIZATIONS)
    latest = (
        NetworkSnapshot.objects.filter(community=OuterRef("community")).order_by("-month").values("month")[:1]
    )
    return snapshots.filter(month=Subquery(latest))


def _number(path: str):
    return Cast(KT(f"measures__{path}"), FloatField())


def network_measures(*, viewer: Viewer) -> dict:
    """Return each community's latest network measures and their means across communities (two queries)."""
    snapshots = _latest_snapshots(viewer).annotate(
        n_organizations=_number("organizations"),
        n_ties=_number("ties"),
        d=_number("density__value"),
        share=_number("bridging__share"),
    )
    rows = list(
        snapshots.order_by("community__name", "community_id").values(
            "community__name", "community__slug", "month", "n_organizations", "n_ties", "d", "share"
        )
    )
    summary = snapshots.order_by().aggregate(
        communities=Count("pk"),
        organizations=Sum("n_organizations"),
        ties=Sum("n_ties"),
        density=Avg("d"),
        bridging=Avg("share"),
    )
    behind = int(summary["organizations"] or 0)
    return {
        "rows": rows,
        "communities": summary["communities"],
        "organizations": disclose(behind, behind, viewer=viewer),
        "ties": disclose(int(summary["ties"] or 0), behind, viewer=viewer),
        "density": disclose(summary["density"], behind, viewer=viewer),
        "bridging": disclose(summary["bridging"], behind, viewer=viewer),
    }


# Progress through the six steps -----------------------------------------------------------------------------

SORTS = [
    "name",
    "state",
    "kind",
    "organizations",
    "steps_done",
    *[f"step{n}" for n in STEP_TITLES],
    "computed",
]


def _rank(number: int) -> Subquery:
    ranks = Case(
        *[When(status=status, then=Value(rank)) for status, rank in STATUS_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return Subquery(
        StepRecord.objects.filter(community=OuterRef("pk"), number=number).annotate(r=ranks).values("r")[:1]
    )


def _status(number: int) -> Subquery:
    return Subquery(
        StepRecord.objects.filter(community=OuterRef("pk"), number=number).values("status")[:1],
        output_field=CharField(),
    )


def _summary(number: int) -> Subquery:
    return Subquery(
        StepRecord.objects.filter(community=OuterRef("pk"), number=number).values("summary")[:1],
        output_field=CharField(),
    )


def progress_list(*, viewer: Viewer, sort: str = "name"):
    """Return every community with its organizations, its six step states and how many are done, sorted
    server-side by any column (a leading "-" reverses it); one query a page however many communities.

    The facilitators read the communities through `Community.objects.visible_to` (all of them); everyone else
    reads the program's public list of them."""
    queryset = Community.objects.visible_to(viewer) if sees_full_figures(viewer) else Community.objects.all()
    seats = (
        Membership.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(c=Count("pk"))
        .values("c")
    )
    done = (
        StepRecord.objects.filter(community=OuterRef("pk"), status=DONE)
        .order_by()
        .values("community")
        .annotate(c=Count("pk"))
        .values("c")
    )
    computed = (
        StepRecord.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(m=Max("computed_at"))
        .values("m")
    )
    annotations = {
        "organizations": Coalesce(Subquery(seats, output_field=IntegerField()), 0),
        "steps_done": Coalesce(Subquery(done, output_field=IntegerField()), 0),
        "computed": Subquery(computed),
    }
    for number in STEP_TITLES:
        annotations[f"step{number}"] = Coalesce(_rank(number), Value(-1))
        annotations[f"status{number}"] = _status(number)
        if sees_full_figures(viewer):
            annotations[f"summary{number}"] = _summary(number)
    queryset = queryset.annotate(**annotations)
    key = sort.lstrip("-") if isinstance(sort, str) else ""
    if key not in SORTS:
        sort, key = "name", "name"
    descending = sort.startswith("-")
    order = f"-{key}" if descending else key
    tiebreak = ["name", "pk"] if key != "name" else ["pk"]
    return queryset.order_by(order, *tiebreak)


def progress_rows(page, *, viewer: Viewer) -> list[dict]:
    """Return the table's rows for a page of `progress_list`: each step's state, the organizations disclosed."""
    from commonground.communities.progress import STATUS_LABELS

    rows = []
    for community in page:
        steps = []
        for number in STEP_TITLES:
            status = getattr(community, f"status{number}")
            steps.append(
                {
                    "number": number,
                    "status": status or "",
                    "label": STATUS_LABELS.get(status, _("Not computed yet")),
                    "summary": getattr(community, f"summary{number}", "") or "",
                }
            )
        rows.append(
            {
                "community": community,
                "organizations": disclose(community.organizations, community.organizations, viewer=viewer),
                "steps": steps,
                "steps_done": community.steps_done,
                "computed": community.computed,
            }
        )
    return rows


def progress_by_step(*, viewer: Viewer) -> list[dict]:
    """Return, for each step, how many communities have it done, in progress, and not started (one query)."""
    rows = StepRecord.objects.order_by().values("number", "status").annotate(n=Count("pk"))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["number"]][row["status"]] += row["n"]
    return [
        {
            "number": number,
            "title": title,
            "done": counts[number][DONE],
            "in_progress": counts[number][IN_PROGRESS],
            "not_started": sum(
                n for status, n in counts[number].items() if status not in (DONE, IN_PROGRESS)
            ),
        }
        for number, title in STEP_TITLES.items()
    ]
