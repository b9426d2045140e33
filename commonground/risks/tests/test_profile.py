"""The community risk profile, with worked examples of the aggregation and of DESIGN's withholding rule."""

import pytest

from commonground.communities.models import Membership
from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED
from commonground.core.aggregates import is_withheld
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory
from commonground.risks.choices import risk_band, risk_band_legend
from commonground.risks.models import Hazard
from commonground.risks.profile import risk_profile, scale_position
from commonground.risks.steps import challenges_step

from .factories import AssessmentFactory


def hazard(code):
    return Hazard.objects.get(community=None, code=code)


def seat(table, name, sector):
    organization = OrganizationFactory(name=name, sector=sector, level="local" if sector == "public" else "")
    Membership.objects.create(community=table.community, organization=organization)
    return organization


def scores(likelihood, impact, tlp=TLP.AMBER):
    """An assessment whose worst impact is `impact` (on operations; the others lower or equal)."""
    return dict(
        likelihood=likelihood, impact_life_safety=1, impact_operations=impact, impact_property=1, tlp=tlp
    )


@pytest.fixture
def example(table):
    """Six organizations at the table; the reader `table.member` belongs to Great Lakes Logistics (private).

    tornado   Great Lakes AMBER L4 I5 · P1 GREEN L2 I3 · B1 AMBER L3 I4
    flood     Great Lakes AMBER L3 I2 · P1 AMBER L5 I5 · P2 AMBER L4 I4 · B1 AMBER L4 I1
    cyber     P1 GREEN L4 I4 · N1 GREEN L2 I2
    """
    p1, p2 = seat(table, "P1", "public"), seat(table, "P2", "public")
    b1, n1 = seat(table, "B1", "private"), seat(table, "N1", "nonprofit")
    own = table.private_org
    rows = [
        ("tornado", own, scores(4, 5)), ("tornado", p1, scores(2, 3, TLP.GREEN)), ("tornado", b1, scores(3, 4)),
        ("riverine_flooding", own, scores(3, 2)), ("riverine_flooding", p1, scores(5, 5)), ("riverine_flooding", p2, scores(4, 4)), ("riverine_flooding", b1, scores(4, 1)),
        ("cyber_incident", p1, scores(4, 4, TLP.GREEN)), ("cyber_incident", n1, scores(2, 2, TLP.GREEN)),
    ]  # fmt: skip
    for code, organization, values in rows:
        AssessmentFactory(community=table.community, organization=organization, hazard=hazard(code), **values)
    return table


def by_code(profile):
    return {risk.hazard.code: risk for risk in profile.hazards}


def test_the_withholding_rule():
    assert [is_withheld(n) for n in range(5)] == [False, True, True, False, False]


def test_a_member_sees_what_they_may_see_and_three_organizations_restricted_records(example):
    profile = risk_profile(viewer=viewer_for(example.member), community=example.community)
    risks = by_code(profile)
    # Tornado: B1's AMBER assessment is the only one the member may not see: one organization, left out;
    # the figures rest on the member's own assessment and P1's GREEN one.
    tornado = risks["tornado"]
    assert (tornado.organizations, tornado.public, tornado.private_side) == (2, 1, 1)
    assert (tornado.likelihood, tornado.impact, tornado.score) == (3.0, 4.0, 12.0)
    # Flood: three other organizations' AMBER assessments (P1, P2, B1): the hazard's figures count all four,
    # but each sector's count is its own figure: public rests on two (P1, P2), private on one (B1) beside
    # the member's own, so those are left out there.
    flood = risks["riverine_flooding"]
    assert (flood.organizations, flood.public, flood.private_side) == (4, 0, 1)
    assert (flood.likelihood, flood.impact, flood.score, flood.band[0], flood.cell) == (
        4.0,
        3.0,
        12.0,
        "high",
        (4, 3),
    )
    assert not flood.shared
    # Cyber incident: GREEN only, nothing restricted: shown although only two organizations assessed it.
    cyber = risks["cyber_incident"]
    assert (cyber.organizations, cyber.score, cyber.band[0], cyber.shared) == (2, 9.0, "moderate", True)
    assert [r.hazard.code for r in profile.ranked] == ["riverine_flooding", "tornado", "cyber_incident"]
    # Tornado's figures rest on the member's own AMBER assessment, which a plain member could not be shown.
    assert profile.marking == TLP.AMBER


def test_a_cochair_sees_every_amber_figure_and_the_profile_is_marked_amber(example):
    profile = risk_profile(viewer=viewer_for(example.cochair), community=example.community)
    tornado = by_code(profile)["tornado"]
    assert (tornado.organizations, tornado.likelihood, tornado.impact, tornado.score) == (3, 3.0, 4.0, 12.0)
    # Tornado's figures rest on two AMBER assessments, which a plain member could not be shown.
    assert profile.marking == TLP.AMBER
    assert [r.hazard.code for r in profile.ranked] == ["riverine_flooding", "tornado", "cyber_incident"]


def test_amber_strict_is_restricted_even_for_a_cochair(example):
    flood = Hazard.objects.get(code="riverine_flooding", community=None)
    flood.assessments.filter(organization__name="P2").update(tlp=TLP.AMBER_STRICT)
    cochair = by_code(risk_profile(viewer=viewer_for(example.cochair), community=example.community))
    # P2's assessment is the one restricted record for the co-chair: left out of every figure.
    assert (cochair["riverine_flooding"].organizations, cochair["riverine_flooding"].public) == (3, 1)
    member = by_code(risk_profile(viewer=viewer_for(example.member), community=example.community))
    # Still three organizations' restricted records for the member: all four count (but not per sector).
    assert (member["riverine_flooding"].organizations, member["riverine_flooding"].public) == (4, 0)


def test_the_heat_map_places_each_shown_hazard_in_its_cell(example):
    heat_map = risk_profile(viewer=viewer_for(example.member), community=example.community).heat_map()
    assert [cell.impact for cell in (row[0] for row in heat_map)] == [5, 4, 3, 2, 1]
    cells = {(c.likelihood, c.impact): [r.hazard.code for r in c.hazards] for row in heat_map for c in row}
    assert cells[4, 3] == ["riverine_flooding"] and cells[3, 3] == ["cyber_incident"]
    assert cells[3, 4] == ["tornado"]
    assert sum(len(names) for names in cells.values()) == 3
    assert heat_map[0][4].band[0] == "extreme" and heat_map[4][0].band[0] == "low"


def test_scale_position_rounds_halves_up():
    assert [scale_position(x) for x in (1.0, 1.49, 1.5, 2.5, 4.99, 5.0)] == [1, 1, 2, 3, 5, 5]


def test_step_5_is_done_when_the_threshold_share_has_assessed(example):
    # Six organizations at the table; Great Lakes, P1, P2, B1 and N1 have assessed: 5 of 6.
    state = challenges_step(example.community)
    assert state.status == DONE and "5 of 6" in state.summary
    example.community.assessment_threshold = 90
    assert challenges_step(example.community).status == IN_PROGRESS


def test_step_5_does_not_count_one_organizations_restricted_assessment(table):
    assert challenges_step(table.community).status == NOT_STARTED
    AssessmentFactory(community=table.community, organization=table.private_org)
    table.community.assessment_threshold = 100
    state = challenges_step(table.community)
    assert state.status == NOT_STARTED
    assert "0 of 2 organizations" in state.summary


@pytest.fixture
def between_bands(table):
    """Two hazards whose mean products fall between the legend's whole numbers (GREEN: nothing withheld).

    ice storm       L 4, 4, 5 (4.33) x I 4, 4, 4 (4.0) = 17.3, in cell 4 x 4 = 16
    transportation  L 4, 4, 3 (3.67) x I 3, 3, 2 (2.67) = 9.8, in cell 4 x 3 = 12
    """
    orgs = [seat(table, name, "public") for name in ("P1", "P2", "P3")]
    rows = {"ice_storm": ((4, 4), (4, 4), (5, 4)), "cyber_incident": ((4, 3), (4, 3), (3, 2))}
    for code, values in rows.items():
        for organization, (likelihood, impact) in zip(orgs, values, strict=True):
            AssessmentFactory(
                community=table.community, organization=organization, hazard=hazard(code),
                **scores(likelihood, impact, TLP.GREEN),
            )  # fmt: skip
    return table


def test_regression_a_hazards_band_is_its_heat_map_cells_band(between_bands):
    profile = risk_profile(viewer=viewer_for(between_bands.member), community=between_bands.community)
    risks = by_code(profile)
    ice, other = risks["ice_storm"], risks["cyber_incident"]
    assert (ice.score, ice.cell, other.score, other.cell) == (17.3, (4, 4), 9.8, (4, 3))
    cells = {(c.likelihood, c.impact): c for row in profile.heat_map() for c in row}
    for risk in (ice, other):
        assert risk.band == cells[risk.cell].band
    assert ice.band[0] == "high" and other.band[0] == "high"


def test_the_legend_and_its_rule_come_from_the_same_bands(between_bands):
    legend = risk_band_legend()
    assert [(name, low, high) for name, _label, low, high in legend] == [
        ("low", 1, 4), ("moderate", 5, 9), ("high", 10, 16), ("extreme", 17, 25),
    ]  # fmt: skip
    for name, _label, low, high in legend:
        assert {risk_band(score)[0] for score in range(low, high + 1)} == {name}
    page = page_client(between_bands.member).get("/c/riverbend/risk-profile/").content.decode()
    assert "high (10 to 16)" in page.lower()
    assert "each rounded to a whole number" in page
