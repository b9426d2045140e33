"""The joint assessment: the community risk profile built from every organization's self-assessment.

For each hazard: how many organizations of each sector it threatens (an organization that assesses a
hazard is one it concerns), the mean likelihood and impact, vulnerability and preparedness, placed on a
likelihood x impact heat map and ranked. The aggregates count every assessment, the ones the reader may
not see one by one included, and so follow `core.aggregates`: a hazard whose figures would rest on the
restricted assessments of one or two organizations is withheld from that reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import Greatest

from commonground.core.aggregates import disclosed_count, is_withheld, marking_counts, markings_shown
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer
from commonground.registry.choices import Sector

from .choices import risk_band
from .models import Hazard, HazardAssessment
from .selectors import assessed_organizations

SCALE = range(1, 6)


def scale_position(mean: float) -> int:
    """Place a mean score (1.0 to 5.0) on the 1-5 scale, halves rounded up."""
    return min(5, max(1, int(mean + 0.5)))


@dataclass
class HazardRisk:
    """The community's joint figures for one hazard, as one reader may see them."""

    hazard: Hazard
    withheld: bool = False
    organizations: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)
    likelihood: float | None = None
    impact: float | None = None
    vulnerability: float | None = None
    preparedness: float | None = None

    @property
    def score(self) -> float | None:
        """Mean likelihood x mean impact, 1 to 25."""
        if self.withheld or self.likelihood is None:
            return None
        return round(self.likelihood * self.impact, 1)

    @property
    def band(self) -> tuple[str, str] | None:
        return None if self.score is None else risk_band(self.score)

    @property
    def cell(self) -> tuple[int, int] | None:
        """Its (likelihood, impact) cell on the heat map."""
        if self.score is None:
            return None
        return scale_position(self.likelihood), scale_position(self.impact)

    @property
    def public(self) -> int:
        return self.by_sector.get(Sector.PUBLIC, 0)

    @property
    def private_side(self) -> int:
        return self.by_sector.get(Sector.PRIVATE, 0) + self.by_sector.get(Sector.NONPROFIT, 0)

    @property
    def shared(self) -> bool:
        """A common bond: it threatens organizations of both the public and the private side."""
        return not self.withheld and self.public > 0 and self.private_side > 0


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    hazards: list[HazardRisk]

    @property
    def band(self) -> tuple[str, str]:
        return risk_band(self.likelihood * self.impact)


@dataclass
class RiskProfile:
    community: object
    hazards: list[HazardRisk]
    marking: str
    member_organizations: int
    assessing_organizations: int

    @property
    def ranked(self) -> list[HazardRisk]:
        """The hazards with figures, highest risk first, then the most widely shared."""
        shown = [h for h in self.hazards if not h.withheld]
        return sorted(shown, key=lambda h: (-h.score, -h.organizations, h.hazard.name))

    @property
    def withheld(self) -> list[HazardRisk]:
        return [h for h in self.hazards if h.withheld]

    @property
    def ranked_then_withheld(self) -> list[HazardRisk]:
        return [*self.ranked, *self.withheld]

    def heat_map(self) -> list[list[HeatCell]]:
        """Rows from impact 5 down to 1, each with cells for likelihood 1 to 5."""
        cells = {(likelihood, impact): [] for likelihood in SCALE for impact in SCALE}
        for risk in self.ranked:
            cells[risk.cell].append(risk)
        return [
            [HeatCell(likelihood, impact, cells[likelihood, impact]) for likelihood in SCALE]
            for impact in reversed(SCALE)
        ]

    @property
    def assessing_shown(self) -> int | None:
        """How many organizations have assessed, or None for one or two (a count of restricted records)."""
        return disclosed_count(self.assessing_organizations)


def _hazard_rows(viewer: Viewer, community, hazard_ids) -> list[dict]:
    assessments = HazardAssessment.objects.in_community(community)
    if hazard_ids is not None:
        assessments = assessments.filter(hazard_id__in=list(hazard_ids))
    restricted = ~assessments.tlp_q(viewer)
    sectors = {
        f"sector_{sector}": Count("id", filter=Q(organization__sector=sector)) for sector in Sector.values
    }
    return list(
        assessments.order_by()
        .values("hazard_id")
        .annotate(
            organizations=Count("id"),  # one assessment per organization and hazard
            restricted=Count("id", filter=restricted),
            likelihood=Avg("likelihood"),
            impact=Avg(Greatest("impact_life_safety", "impact_operations", "impact_property")),
            vulnerability=Avg("vulnerability"),
            preparedness=Avg("preparedness"),
            **sectors,
            **marking_counts(),
        )
    )


def risk_profile(*, viewer: Viewer, community, hazard_ids=None) -> RiskProfile:
    """Return the community's risk profile as the viewer may see it (only the given hazards', if named)."""
    rows = _hazard_rows(viewer, community, hazard_ids)
    hazards = Hazard.objects.in_bulk([row["hazard_id"] for row in rows])
    risks, beyond_green = [], []
    for row in rows:
        risk = HazardRisk(hazard=hazards[row["hazard_id"]])
        if is_withheld(row["restricted"]):
            risk.withheld = True
        else:
            risk.organizations = row["organizations"]
            risk.by_sector = {sector: row[f"sector_{sector}"] for sector in Sector.values}
            for name in ("likelihood", "impact", "vulnerability", "preparedness"):
                setattr(risk, name, round(row[name], 2))
            # Figures the reader may see but a plain member may not carry the marking of what they rest on.
            beyond_green += markings_shown(row)
        risks.append(risk)
    risks.sort(key=lambda r: r.hazard.name)
    assessing, members = assessed_organizations(community)
    return RiskProfile(
        community=community,
        hazards=risks,
        marking=narrowest([TLP.GREEN, *beyond_green]),
        member_organizations=members,
        assessing_organizations=assessing,
    )


def hazard_risks(*, viewer: Viewer, community, hazards) -> tuple[dict[int, HazardRisk], str]:
    """Return the joint risk of the given hazards by hazard id, as the viewer may see it, and its marking."""
    profile = risk_profile(viewer=viewer, community=community, hazard_ids=[hazard.pk for hazard in hazards])
    return {risk.hazard.pk: risk for risk in profile.hazards}, profile.marking
