"""The partnership plan: the whole partnership as it stands, on one printable page, as the reader may see it.

Each part comes from its own step's selectors, so the plan shows exactly what those pages show the
reader (TLP applied, aggregates withheld where they would rest on one or two organizations' restricted
records); the plan's marking is the narrowest of the markings of what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.db.models import F

from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer

PLAN_ROWS = 10  # hazards and needs shown on paper; the pages hold the rest


@dataclass
class SectorMembers:
    sector: str
    label: str
    organizations: list[str] = field(default_factory=list)


@dataclass
class PartnershipPlan:
    community: object
    marking: str
    steps: list
    cochairs: list
    members: list[SectorMembers]
    issues: list
    contribution: object
    resource_totals: list[tuple[str, list]]  # (kind, its quantity in each unit)
    risk: object
    needs: object | None
    goals: list
    meetings: list

    @property
    def member_count(self) -> int:
        return sum(len(group.organizations) for group in self.members)


def partnership_plan(*, viewer: Viewer, community) -> PartnershipPlan:
    """Return every step's part of the plan as the viewer may see it, kept for the reader between the writes
    that change the community's records (`communities.snapshots.kept_for_reader`): every part's figures
    are read afresh only after such a write."""
    from commonground.communities.snapshots import kept_for_reader

    return kept_for_reader(
        community, viewer, "plan", partial(gather_plan, viewer=viewer, community=community)
    )


def gather_plan(*, viewer: Viewer, community) -> PartnershipPlan:
    """Gather every step's part of the plan as the viewer may see it."""
    from commonground.agenda.selectors import issue_list
    from commonground.communities.selectors import cochair_list
    from commonground.communities.snapshots import snapshot
    from commonground.registry.choices import Sector
    from commonground.registry.selectors import organization_list
    from commonground.resources.choices import ResourceKind
    from commonground.resources.selectors import partnership_contribution, resource_totals
    from commonground.risks.profile import risk_profile

    from .priorities import gather_needs_profile
    from .selectors import goal_list, meeting_list, needs_assessment_list

    members = {sector.value: SectorMembers(sector.value, str(sector.label)) for sector in Sector}
    for name, sector in (
        organization_list(viewer=viewer, community=community).order_by("name").values_list("name", "sector")
    ):
        members[sector].organizations.append(name)
    issues = list(
        issue_list(viewer=viewer, community=community)
        .filter(status="adopted")
        .order_by(F("agenda_rank").asc(nulls_last=True), "title")
    )
    contribution = partnership_contribution(viewer=viewer, community=community)
    risk = risk_profile(viewer=viewer, community=community)
    assessment = (
        needs_assessment_list(viewer=viewer, community=community).order_by("-opens_on", "-pk").first()
    )
    # Summed here: the whole plan is kept for the reader.
    needs = gather_needs_profile(viewer=viewer, assessment=assessment) if assessment else None
    markings = [TLP.GREEN, *(i.tlp for i in issues), contribution.marking, risk.marking]
    if needs is not None:
        markings.append(needs.marking)
    return PartnershipPlan(
        community=community,
        marking=narrowest(markings),
        # The steps are the same for every reader: the dashboard's snapshot, kept between writes.
        steps=snapshot(community).steps,
        cochairs=list(cochair_list(viewer=viewer, community=community)),
        members=[group for group in members.values() if group.organizations],
        issues=issues,
        contribution=contribution,
        resource_totals=[
            (str(ResourceKind(kind).label), quantities)
            for kind, quantities in resource_totals(viewer=viewer, community=community).items()
        ],
        risk=risk,
        needs=needs,
        goals=list(goal_list(viewer=viewer, community=community)),
        meetings=list(meeting_list(viewer=viewer, community=community)),
    )
