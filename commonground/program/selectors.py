"""Reads of the program-wide statistics, each one a GROUP BY in the database, never rows loaded to be counted.

Every figure rests on some organizations. A visitor gets a figure only when it rests on none or on at least
`core.aggregates.MINIMUM_ORGANIZATIONS` (three) organizations, and when no figure resting on one or two can
be worked out from the figures published beside it: every relation a reader may use is declared to
`disclosure`, the sums (sectors, states, communities, statuses) and, for the growth table, what each month
and each quarter added (never published, but the month's figure less the month before's), and `disclosure`
solves them all (a visitor's quarters settled before the months between them, `_quarters_first`);
otherwise the figure is suppressed and the page says so (`Cell.suppressed`). Facilitators see every figure
in full. Marked records (incidents) are counted through their `visible_to(viewer)` querysets, so a visitor's
figures count TLP:CLEAR records only. A community's name, place and how far along its six steps it is are the
program's public face.

Every function here costs a fixed number of queries, however many communities and organizations there are.
"""

from __future__ import annotations

import itertools

from django.core.cache import cache
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commonground.communities.models import Community, Membership
from commonground.core.visibility import Viewer
from commonground.incidents.choices import IncidentStatus
from commonground.incidents.models import Incident
from commonground.newsletters.choices import NewsletterStatus
from commonground.newsletters.models import Newsletter
from commonground.registry.choices import Sector
from commonground.registry.models import Organization

from . import kept, stamp
from .disclosure import SUPPRESSED, Cell, Disclosure, is_small
from .growth import (  # noqa: F401 - SECTORS is read here
    MONTHS,
    SECTORS,
    growth_counts,
    growth_rows,
    recent_months,
    seated,
)
from .permissions import sees_full_figures

ORGANIZATIONS, PARTICIPANTS, INCIDENTS = ("organizations",), ("participants",), ("incidents",)


def disclose(value, organizations: int, *, viewer: Viewer) -> Cell:
    """Return a figure that adds up with no other: suppressed for a visitor when it rests on one or two
    organizations."""
    if not sees_full_figures(viewer) and is_small(organizations):
        return SUPPRESSED
    return Cell(value)


# The organizations: the program's, by sector, by state and by community -----------------------------------


def organizations_plan(*, viewer: Viewer, readings: kept.Readings | None = None) -> Disclosure:
    """Return the organizations' figures as the viewer gets them (three queries): the program's total, which is
    the sum of its sectors' and (to a reader who subtracts) of its states'; each state's, the sum of its
    communities'. Keys: `ORGANIZATIONS`, ("sector", s), ("state", code), ("community", pk); `plan.states` and
    `plan.communities` list the states (with how many communities) and the communities' pks."""
    plan = Disclosure(full=sees_full_figures(viewer))
    readings = kept.Readings() if readings is None else readings
    by_sector = dict(
        readings.rows(
            "organizations by sector",
            lambda: (
                Organization.objects.filter(seated()).order_by().values_list("sector").annotate(n=Count("pk"))
            ),
            shared=True,
        )
    )
    total = sum(by_sector.values())
    plan.add(ORGANIZATIONS, total, total)
    plan.relate(
        ORGANIZATIONS, [plan.add(("sector", s), by_sector.get(s, 0), by_sector.get(s, 0)) for s in SECTORS]
    )
    by_state = dict(readings.rows("organizations by state", _organizations_by_state, shared=True))
    communities: dict[str, list] = {}
    for pk, state, seats in readings.rows("seats by community", _seats_by_community, shared=True):
        communities.setdefault(state, []).append(plan.add(("community", pk), seats, seats))
    plan.relate(
        ORGANIZATIONS, [plan.add(("state", s), by_state.get(s, 0), by_state.get(s, 0)) for s in communities]
    )
    for state, keys in communities.items():
        plan.relate(("state", state), keys)
    plan.states = {state: len(keys) for state, keys in communities.items()}
    return plan


def _organizations_by_state():
    return (
        Membership.objects.order_by()
        .values_list("community__state")
        .annotate(organizations=Count("organization", distinct=True))
    )


def _seats_by_community():
    return (
        Community.objects.order_by("state", "pk")
        .values_list("pk", "state")
        .annotate(seats=Count("memberships"))
    )


def _incidents(
    plan: Disclosure, viewer: Viewer, counted: dict | None = None, readings: kept.Readings | None = None
) -> dict:
    """Add the incidents the viewer may see, by status and in all (one query, its SQL kept for the viewer's
    facts; none when `counted`: what an earlier call returned; a visitor counts TLP:CLEAR incidents only)."""
    if counted is None:
        by_status: dict[str, dict] = {}
        everyone: set = set()
        for status, organization, n in _incident_rows(viewer, readings):
            row = by_status.setdefault(status, {"status": status, "n": 0, "organizations": 0})
            row["n"] += n
            row["organizations"] += organization is not None
            everyone.add(organization)
        everyone.discard(None)
        counted = {
            "all": {"n": sum(row["n"] for row in by_status.values()), "organizations": len(everyone)},
            "rows": by_status,
        }
    row, rows = counted["all"], counted["rows"]
    plan.add(INCIDENTS, row["n"], row["organizations"])
    plan.relate(INCIDENTS, [
        plan.add(("incidents", value), rows.get(value, {}).get("n", 0), rows.get(value, {}).get("organizations", 0))
        for value in IncidentStatus.values
    ])  # fmt: skip
    return counted


def _incident_rows(viewer: Viewer, readings: kept.Readings | None) -> list[tuple]:
    readings = kept.Readings() if readings is None else readings
    return readings.rows("incidents", lambda: _incidents_by_organization(viewer), kept.facts(viewer))


def _incidents_by_organization(viewer: Viewer):
    """The incidents the viewer may see by status and organization: each status's count and organizations,
    and all of them, are sums and distinct counts of these groups."""
    return (
        Incident.objects.visible_to(viewer)
        .order_by()
        .values_list("status", "organization")
        .annotate(n=Count("pk"))
    )


def _growth_key(series: str, index: int, sector: str | None, last: int) -> tuple:
    """The key of a growth figure: a month's sector's, or its total (`sector` None). This month's organizations
    are the program's (`organizations_plan`), its participants the headline figure."""
    if index == last and series == "organizations":
        return ("sector", sector) if sector else ORGANIZATIONS
    if index == last and not sector:
        return PARTICIPANTS
    return (series, index, sector) if sector else (series, index)


def _growth(plan: Disclosure, counts: dict) -> None:
    """Add each period's organizations and participants by sector and in all, each period's total the sum of
    its sectors; and what each period added to each, never published but a reader subtracts consecutive
    periods: a sector's figure, and the total, is the period before's plus the period's addition. An
    organizations' addition rests on the organizations that joined, a participants' on the organizations of
    its people. Keys carry the index of the month that ends the period (`counts["indexes"]`), so that a
    quarter's figure has the key of its last month's."""
    indexes = counts["indexes"]
    last = indexes[-1]
    for series, resting, resting_added in (
        ("organizations", counts["organizations"], None),
        ("participants", counts["behind_participants"], counts["behind_new_participants"]),
    ):
        for position, index in enumerate(indexes):
            figures = {s: (counts[series][s][position], resting[s][position]) for s in SECTORS}
            if index < last or series == "participants":  # this month's organizations are the program's
                parts = [plan.add(_growth_key(series, index, s, last), n, b) for s, (n, b) in figures.items()]
                total = sum(n for n, _b in figures.values()), sum(b for _n, b in figures.values())
                plan.relate(plan.add(_growth_key(series, index, None, last), *total), parts)
            if not position:
                continue
            before = indexes[position - 1]
            added = {s: n - counts[series][s][position - 1] for s, (n, _b) in figures.items()}
            behind = {s: resting_added[s][position] if resting_added else n for s, n in added.items()}
            parts = [
                plan.add(("added", series, index, s), n, behind[s], published=False) for s, n in added.items()
            ]
            total = ("added", series, index)
            plan.relate(plan.add(total, sum(added.values()), sum(behind.values()), published=False), parts)
            for s, part in zip([*SECTORS, None], [*parts, total], strict=True):
                plan.relate(_growth_key(series, index, s, last), [_growth_key(series, before, s, last), part])


def _growth_rows(plan: Disclosure, counts: dict) -> list[dict]:
    last = counts["indexes"][-1]
    quarters = set(counts["quarters"]["indexes"])
    rows = []
    for index, month in zip(counts["indexes"], counts["months"], strict=True):
        row = {"month": month, "quarter_end": index in quarters, "quarter": quarter_label(month)}
        for series in ("organizations", "participants"):
            row[series] = [plan.cell(_growth_key(series, index, s, last)) for s in SECTORS]
            row[f"{series}_total"] = plan.cell(_growth_key(series, index, None, last))
        rows.append(row)
    return rows


def quarter_label(month) -> str:
    """The calendar quarter that holds a month, as a reader names it ("Q3 2026")."""
    return _("Q%(quarter)s %(year)s") % {"quarter": (month.month - 1) // 3 + 1, "year": month.year}


def _quarters_first(
    plan: Disclosure, quarterly: Disclosure, counts: dict, incidents: dict, viewer: Viewer
) -> None:
    """Settle a visitor's quarters before their months: the figures at the end of each calendar quarter (and
    this month's) with what each quarter added, as a plan of their own (`quarterly`: the organizations'
    figures, not yet settled; settled here and cached), whose decisions the monthly plan keeps (`kept`,
    `preset`): its complements are then chosen among the other months' figures, and a month's figure is shown
    only when the whole monthly system still pins no small figure. Every month is in the table whatever the
    data; only which cells are suppressed depends on them, as for any figure."""
    quarterly.kept = set(quarterly.figures)
    _growth(quarterly, counts["quarters"])
    _incidents(quarterly, viewer, incidents)
    settle(quarterly)
    # What each quarter added is a figure of the months too (the sum of its months' additions, resting on the
    # organizations behind any of them), so that the months never give away a small one the quarters protect.
    for series in ("organizations", "participants"):
        for before, end in itertools.pairwise(counts["quarters"]["indexes"]):
            for tail in [*((s,) for s in SECTORS), ()]:
                figure = quarterly.figures[("added", series, end, *tail)]
                key = plan.add(
                    ("quarter added", series, end, *tail), figure.value, figure.organizations, published=False
                )
                plan.relate(key, [("added", series, month, *tail) for month in range(before + 1, end + 1)])
    shared = {key for key in quarterly.figures if key[0] != "added"}
    plan.kept = shared
    plan.preset = {key for key in quarterly.suppressed_keys() if key in shared}


def _newsletters(viewer: Viewer, readings: kept.Readings) -> Cell:
    """Editions sent; a visitor counts the public ones (their TLP:CLEAR parts are published anyway)."""
    full = sees_full_figures(viewer)

    def sent():
        editions = Newsletter.objects.exclude(status=NewsletterStatus.DRAFT)
        return (
            (editions if full else editions.public()).order_by().values_list("status").annotate(n=Count("pk"))
        )

    name = "newsletters sent" if full else "public newsletters sent"
    return Cell(sum(n for _status, n in readings.rows(name, sent, full, shared=True)))


# Each headline figure is (key, label, function(viewer, plan, readings) -> Cell): a figure that adds up with
# others is read from the plan; another app's figure is one more line.
FIGURES = [
    ("communities", _("Communities"), lambda viewer, plan, readings: Cell(sum(plan.states.values()))),
    ("organizations", _("Member organizations"), lambda viewer, plan, readings: plan.cell(ORGANIZATIONS)),
    ("participants", _("Participants"), lambda viewer, plan, readings: plan.cell(PARTICIPANTS)),
    ("incidents", _("Incidents managed"), lambda viewer, plan, readings: plan.cell(INCIDENTS)),
    ("newsletters", _("Newsletters sent"), lambda viewer, plan, readings: _newsletters(viewer, readings)),
]


# How long a visitor's settled figures are kept: they are kept under the fingerprint of every figure and
# relation they were settled from, so a changed figure is a new key and never reads a stale decision.
SETTLED_SECONDS = 24 * 60 * 60


def settle(plan: Disclosure) -> Disclosure:
    """Settle a plan, or read how a plan of the same figures was settled (the bounds' linear programs cost most
    of a second on the demo; a page or the API reads them from the cache, once computed)."""
    if plan.full:
        return plan.settle()
    key = f"program:settled:{plan.fingerprint()}"
    suppressed = cache.get(key)
    if suppressed is not None:
        return plan.restore(suppressed)
    plan.settle()
    cache.set(key, plan.suppressed_keys(), SETTLED_SECONDS)
    return plan


def statistics(*, viewer: Viewer, shared: stamp.Shared | None = None) -> dict:
    """Return every figure of the program's page as the viewer gets it, each suppression decided over all of
    them at once (the plan under `plan`, for the progress table): `figures`, `states`, `growth`, `incidents`.

    Everything but the headline figures is computed from the rows of seven queries alone, and kept under them
    (`kept.computed`), the reader's kind (full figures or not), the months and the language: a reader whose
    rows are the same gets the same figures. The rows the same for every reader are read as kept under the
    program's token (`shared`: the request's, if it has one already)."""
    readings = kept.Readings(stamp.Shared() if shared is None else shared)
    plan = organizations_plan(viewer=viewer, readings=readings)
    growth_rows(readings)  # counted only when not kept (`growth_counts`, from these rows)
    _incident_rows(viewer, readings)
    span = recent_months(MONTHS)
    key = ("statistics", plan.full, translation.get_language(), tuple(span), readings.key())
    settled = kept.computed(
        key, lambda: _settled(viewer, plan, growth_counts(readings=readings, span=span), readings)
    )
    figures = [
        {"key": key, "label": label, "cell": compute(viewer, settled["plan"], readings)}
        for key, label, compute in FIGURES
    ]
    return {**settled, "figures": figures}


def _settled(viewer: Viewer, plan: Disclosure, counts: dict, readings: kept.Readings) -> dict:
    quarterly = plan.copy()
    plan.kept = set(plan.figures)
    _growth(plan, counts)
    incidents = _incidents(plan, viewer, readings=readings)
    if not plan.full:
        _quarters_first(plan, quarterly, counts, incidents, viewer)
    settle(plan)
    names = dict(Community._meta.get_field("state").choices)
    return {
        "plan": plan,
        "states": [
            {"state": state, "state_name": names.get(state, state), "communities": n, "organizations": plan.cell(("state", state))}
            for state, n in sorted(plan.states.items())
        ],
        "growth": {"sectors": list(Sector.choices), "rows": _growth_rows(plan, counts)},
        "incidents": [
            {"status": value, "label": label, "cell": plan.cell(("incidents", value))}
            for value, label in IncidentStatus.choices
        ],
    }  # fmt: skip


def settled_organizations(*, viewer: Viewer) -> Disclosure:
    """The organizations' figures alone, settled as `statistics` settles them (the growth table's bounds take
    their complements elsewhere: the plan's `kept`), for the progress table and its API."""
    return settle(organizations_plan(viewer=viewer))


def headline_figures(*, viewer: Viewer) -> list[dict]:
    return statistics(viewer=viewer)["figures"]


def communities_by_state(*, viewer: Viewer) -> list[dict]:
    return statistics(viewer=viewer)["states"]


def growth(*, viewer: Viewer) -> dict:
    return statistics(viewer=viewer)["growth"]


def incidents_by_status(*, viewer: Viewer) -> list[dict]:
    return statistics(viewer=viewer)["incidents"]


def community_places(*, viewer: Viewer, shared: stamp.Shared | None = None) -> list[dict]:
    """Return each community's name, state and centre, for the map (one query, or none: kept under the
    program's token)."""

    def read() -> tuple:
        return tuple(
            Community.objects.order_by("name", "pk").values(
                "pk", "name", "slug", "state", "center_latitude", "center_longitude"
            )
        )

    return [dict(place) for place in (shared or stamp.Shared()).rows("community places", read)]
