"""The joint assessment: the community risk profile built from every organization's self-assessment.

For each hazard: how many organizations of each sector it threatens (an organization that assesses a
hazard is one it concerns), the mean likelihood and impact, vulnerability and preparedness, placed on a
likelihood x impact heat map and ranked. Every figure follows `core.aggregates`: the assessments a reader
may not see go into a figure only when at least three organizations' such assessments stand behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Greatest

from commonground.core.aggregates import Figure, Measure, count_organizations, disclosed_figures, mean
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer
from commonground.registry.choices import Sector

from .choices import risk_band, risk_band_legend
from .models import Hazard, HazardAssessment
from .selectors import assessed_organizations

SCALE = range(1, 6)
MEANS = ("likelihood", "impact", "vulnerability", "preparedness")


def scale_position(mean: float) -> int:
    """Place a mean score (1.0 to 5.0) on the 1-5 scale, halves rounded up."""
    return min(5, max(1, int(mean + 0.5)))


@dataclass
class HazardRisk:
    """The community's joint figures for one hazard, as one reader may see them."""

    hazard: Hazard
    organizations: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)
    likelihood: float | None = None
    impact: float | None = None
    vulnerability: float | None = None
    preparedness: float | None = None

    @property
    def score(self) -> float | None:
        """Mean likelihood x mean impact, 1 to 25."""
        if self.likelihood is None or self.impact is None:
            return None
        return round(self.likelihood * self.impact, 1)

    @property
    def cell(self) -> tuple[int, int] | None:
        """Its (likelihood, impact) cell on the heat map."""
        if self.score is None:
            return None
        return scale_position(self.likelihood), scale_position(self.impact)

    @property
    def cell_score(self) -> int | None:
        """Its cell's likelihood x impact, the score its band is read from."""
        return None if self.cell is None else self.cell[0] * self.cell[1]

    @property
    def band(self) -> tuple[str, str] | None:
        """Its cell's band, so that its label and the colour it sits in never disagree."""
        return None if self.cell_score is None else risk_band(self.cell_score)

    @property
    def public(self) -> int:
        return self.by_sector.get(Sector.PUBLIC, 0)

    @property
    def private_side(self) -> int:
        return self.by_sector.get(Sector.PRIVATE, 0) + self.by_sector.get(Sector.NONPROFIT, 0)

    @property
    def shared(self) -> bool:
        """A common bond: it threatens organizations of both the public and the private side."""
        return self.public > 0 and self.private_side > 0


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
    def legend(self) -> list[tuple[str, str, int, int]]:
        return risk_band_legend()

    @property
    def ranked(self) -> list[HazardRisk]:
        """The hazards with figures, highest risk first, then the most widely shared."""
        shown = [h for h in self.hazards if h.score is not None]
        return sorted(shown, key=lambda h: (-h.score, -h.organizations, h.hazard.name))

    def heat_map(self) -> list[list[HeatCell]]:
        """Rows from impact 5 down to 1, each with cells for likelihood 1 to 5."""
        cells = {(likelihood, impact): [] for likelihood in SCALE for impact in SCALE}
        for risk in self.ranked:
            cells[risk.cell].append(risk)
        return [
            [HeatCell(likelihood, impact, cells[likelihood, impact]) for likelihood in SCALE]
            for impact in reversed(SCALE)
        ]


def hazard_measures() -> dict[str, Measure]:
    """The figures of each hazard of the profile."""
    return {
        "organizations": count_organizations(parts=tuple(f"sector_{sector}" for sector in Sector.values)),
        "likelihood": mean("likelihood"),
        "impact": mean(Greatest("impact_life_safety", "impact_operations", "impact_property")),
        "vulnerability": mean("vulnerability"),
        "preparedness": mean("preparedness"),
        **{
            f"sector_{sector}": count_organizations(Q(organization__sector=sector))
            for sector in Sector.values
        },
    }


def _hazard_figures(viewer: Viewer, community, hazard_ids) -> dict[int, dict[str, Figure]]:
    hazard_ids = None if hazard_ids is None else tuple(hazard_ids)

    def assessments():
        chosen = HazardAssessment.objects.in_community(community.pk)
        return chosen if hazard_ids is None else chosen.filter(hazard_id__in=hazard_ids)

    key = ("risk", community.pk, hazard_ids)
    return disclosed_figures(assessments, viewer, hazard_measures(), group_by="hazard_id", key=key)


def risk_profile(*, viewer: Viewer, community, hazard_ids=None, hazards=None) -> RiskProfile:
    """Return the community's risk profile as the viewer may see it (only the given hazards', if named: by id, or
    as the records the caller has read already, which are not read again)."""
    if hazards is not None:
        hazard_ids = [hazard.pk for hazard in hazards]
    figures = {
        hazard_id: row for hazard_id, row in _hazard_figures(viewer, community, hazard_ids).items()
        if row["organizations"].value
    }  # fmt: skip
    if hazards is None:
        hazards = Hazard.objects.in_bulk(list(figures))
    else:
        hazards = {hazard.pk: hazard for hazard in hazards}
    risks, markings = [], []
    for hazard_id, row in figures.items():
        risk = HazardRisk(
            hazard=hazards[hazard_id],
            organizations=row["organizations"].value,
            by_sector={sector: row[f"sector_{sector}"].value for sector in Sector.values},
        )
        for name in MEANS:
            value = row[name].value
            setattr(risk, name, None if value is None else round(value, 2))
        # Figures the reader may see but a plain member may not carry the marking of what they rest on.
        markings += [m for figure in row.values() for m in figure.markings]
        risks.append(risk)
    risks.sort(key=lambda r: r.hazard.name)
    assessing, members = assessed_organizations(viewer=viewer, community=community)
    return RiskProfile(
        community=community,
        hazards=risks,
        marking=narrowest([TLP.GREEN, *markings, *assessing.markings]),
        member_organizations=members,
        assessing_organizations=assessing.value,
    )


def kept_risk_profile(*, viewer: Viewer, community, hazards: list | None = None) -> RiskProfile:
    """Return the community's profile (`risk_profile`; only the given hazards', if named), kept for the reader
    between the writes at the community (`communities.snapshots.kept_for_reader`, whose rules keep every table it
    reads fresh): the profile page, its export and API, and an issue's or a hazard's page summed the assessments
    and counted the table again on every request."""
    from commonground.communities.snapshots import kept_for_reader

    if hazards is None:
        return kept_for_reader(
            community, viewer, "risk:all", lambda: risk_profile(viewer=viewer, community=community)
        )
    ids = ",".join(str(pk) for pk in sorted({hazard.pk for hazard in hazards}))
    return kept_for_reader(
        community,
        viewer,
        f"risk:{ids}",
        lambda: risk_profile(viewer=viewer, community=community, hazards=hazards),
    )


def hazard_risks(*, viewer: Viewer, community, hazards) -> tuple[dict[int, HazardRisk], str]:
    """Return the joint risk of the given hazards by hazard id, as the viewer may see it, and its marking."""
    profile = kept_risk_profile(viewer=viewer, community=community, hazards=hazards)
    return {risk.hazard.pk: risk for risk in profile.hazards}, profile.marking
