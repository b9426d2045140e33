"""Reads of the program-wide statistics, each one a GROUP BY in the database, never rows loaded to be counted.

Every figure rests on some organizations. A visitor gets a figure only when it rests on none or on at least
`core.aggregates.MINIMUM_ORGANIZATIONS` (three) organizations, and when it cannot be worked out from the
figures published beside it (`disclosure`: the figures that add up are related, and a suppressed figure is
never the single unknown of a sum); otherwise the figure is suppressed and the page says so
(`Cell.suppressed`). Facilitators see every figure in full. Marked records (incidents) are counted through
their `visible_to(viewer)` querysets, so a visitor's figures count TLP:CLEAR records only. A community's name,
place and how far along its six steps it is are the program's public face.

Every function here costs a fixed number of queries, however many communities and organizations there are.
"""

from __future__ import annotations

from django.db.models import Avg, Count, FloatField, OuterRef, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from commonground.communities.models import Community, Membership
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.visibility import Viewer
from commonground.incidents.choices import IncidentStatus
from commonground.incidents.models import Incident
from commonground.newsletters.choices import NewsletterStatus
from commonground.newsletters.models import Newsletter
from commonground.registry.choices import Sector
from commonground.registry.models import Organization
from commonground.socialcapital.models import NetworkSnapshot

from .disclosure import SUPPRESSED, Cell, Disclosure, is_small
from .growth import MONTHS, SECTORS, growth_counts, seated  # noqa: F401 - MONTHS and SECTORS are read here
from .permissions import sees_full_figures

ORGANIZATIONS, PARTICIPANTS, INCIDENTS = ("organizations",), ("participants",), ("incidents",)


def disclose(value, organizations: int, *, viewer: Viewer) -> Cell:
    """Return a figure that adds up with no other: suppressed for a visitor when it rests on one or two
    organizations."""
    if not sees_full_figures(viewer) and is_small(organizations):
        return SUPPRESSED
    return Cell(value)


# The organizations: the program's, by sector, by state and by community -----------------------------------


def organizations_plan(*, viewer: Viewer) -> Disclosure:
    """Return the organizations' figures as the viewer gets them (three queries): the program's total, which is
    the sum of its sectors' and (to a reader who subtracts) of its states'; each state's, the sum of its
    communities'. Keys: `ORGANIZATIONS`, ("sector", s), ("state", code), ("community", pk); `plan.states` and
    `plan.communities` list the states (with how many communities) and the communities' pks."""
    plan = Disclosure(full=sees_full_figures(viewer))
    by_sector = dict(
        Organization.objects.filter(seated()).order_by().values_list("sector").annotate(n=Count("pk"))
    )
    total = sum(by_sector.values())
    plan.add(ORGANIZATIONS, total, total)
    plan.relate(
        ORGANIZATIONS, [plan.add(("sector", s), by_sector.get(s, 0), by_sector.get(s, 0)) for s in SECTORS]
    )
    by_state = dict(
        Membership.objects.order_by()
        .values_list("community__state")
        .annotate(organizations=Count("organization", distinct=True))
    )
    communities: dict[str, list] = {}
    for pk, state, seats in (
        Community.objects.order_by("state", "pk")
        .values_list("pk", "state")
        .annotate(seats=Count("memberships"))
    ):
        communities.setdefault(state, []).append(plan.add(("community", pk), seats, seats))
    plan.relate(
        ORGANIZATIONS, [plan.add(("state", s), by_state.get(s, 0), by_state.get(s, 0)) for s in communities]
    )
    for state, keys in communities.items():
        plan.relate(("state", state), keys)
    plan.states = {state: len(keys) for state, keys in communities.items()}
    return plan


def _incidents(plan: Disclosure, viewer: Viewer) -> None:
    """Add the incidents the viewer may see, by status and in all (two queries; a visitor counts TLP:CLEAR
    incidents only)."""
    visible = Incident.objects.visible_to(viewer)
    row = visible.aggregate(n=Count("pk"), organizations=Count("organization", distinct=True))
    plan.add(INCIDENTS, row["n"], row["organizations"])
    rows = {
        row["status"]: row
        for row in visible.order_by()
        .values("status")
        .annotate(n=Count("pk"), organizations=Count("organization", distinct=True))
    }
    plan.relate(INCIDENTS, [
        plan.add(("incidents", value), rows.get(value, {}).get("n", 0), rows.get(value, {}).get("organizations", 0))
        for value in IncidentStatus.values
    ])  # fmt: skip


def _growth(plan: Disclosure, counts: dict) -> None:
    """Add each month's organizations and participants by sector and in all. This month's organizations are
    the program's (`organizations_plan`, already added), its participants the headline figure."""
    last = len(counts["months"]) - 1
    for index in range(last + 1):
        if index < last:
            total = sum(counts["organizations"][s][index] for s in SECTORS)
            plan.relate(plan.add(("organizations", index), total, total), [
                plan.add(("organizations", index, s), counts["organizations"][s][index], counts["organizations"][s][index])
                for s in SECTORS
            ])  # fmt: skip
        people = [
            (counts["participants"][s][index], counts["behind_participants"][s][index]) for s in SECTORS
        ]
        total_key = PARTICIPANTS if index == last else ("participants", index)
        plan.add(total_key, sum(n for n, _b in people), sum(b for _n, b in people))
        plan.relate(total_key, [
            plan.add(("participants", index, s), n, behind) for s, (n, behind) in zip(SECTORS, people, strict=True)
        ])  # fmt: skip


def _growth_rows(plan: Disclosure, counts: dict) -> list[dict]:
    last = len(counts["months"]) - 1
    return [
        {
            "month": month,
            "organizations": [plan.cell(("sector", s) if index == last else ("organizations", index, s)) for s in SECTORS],
            "organizations_total": plan.cell(ORGANIZATIONS if index == last else ("organizations", index)),
            "participants": [plan.cell(("participants", index, s)) for s in SECTORS],
            "participants_total": plan.cell(PARTICIPANTS if index == last else ("participants", index)),
        }
        for index, month in enumerate(counts["months"])
    ]  # fmt: skip


def _newsletters(viewer: Viewer) -> Cell:
    """Editions sent; a visitor counts the public ones (their TLP:CLEAR parts are published anyway)."""
    sent = Newsletter.objects.exclude(status=NewsletterStatus.DRAFT)
    return Cell((sent if sees_full_figures(viewer) else sent.public()).count())


# Each headline figure is (key, label, function(viewer, plan) -> Cell): a figure that adds up with others is
# read from the plan; another app's figure is one more line.
FIGURES = [
    ("communities", _("Communities"), lambda viewer, plan: Cell(sum(plan.states.values()))),
    ("organizations", _("Member organizations"), lambda viewer, plan: plan.cell(ORGANIZATIONS)),
    ("participants", _("Participants"), lambda viewer, plan: plan.cell(PARTICIPANTS)),
    ("incidents", _("Incidents managed"), lambda viewer, plan: plan.cell(INCIDENTS)),
    ("newsletters", _("Newsletters sent"), lambda viewer, plan: _newsletters(viewer)),
]


def statistics(*, viewer: Viewer) -> dict:
    """Return every figure of the program's page as the viewer gets it, each suppression decided over all of
    them at once (the plan under `plan`, for the progress table): `figures`, `states`, `growth`, `incidents`."""
    plan = organizations_plan(viewer=viewer)
    counts = growth_counts()
    _growth(plan, counts)
    _incidents(plan, viewer)
    plan.settle()
    names = dict(Community._meta.get_field("state").choices)
    return {
        "plan": plan,
        "figures": [{"key": key, "label": label, "cell": compute(viewer, plan)} for key, label, compute in FIGURES],
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
    """The organizations' figures alone, settled as `statistics` settles them (no other figure is related to
    them), for the progress table and its API."""
    return organizations_plan(viewer=viewer).settle()


def headline_figures(*, viewer: Viewer) -> list[dict]:
    return statistics(viewer=viewer)["figures"]


def communities_by_state(*, viewer: Viewer) -> list[dict]:
    return statistics(viewer=viewer)["states"]


def growth(*, viewer: Viewer) -> dict:
    return statistics(viewer=viewer)["growth"]


def incidents_by_status(*, viewer: Viewer) -> list[dict]:
    return statistics(viewer=viewer)["incidents"]


def community_places(*, viewer: Viewer) -> list[dict]:
    """Return each community's name, state and centre, for the map (one query)."""
    return list(
        Community.objects.order_by("name", "pk").values(
            "pk", "name", "slug", "state", "center_latitude", "center_longitude"
        )
    )


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
