"""The aggregate test: one restricted record a reader may not see moves no figure that reader sees.

Every aggregate surface (the risk profile page, print and API, the hazard page, the needs profile page and
API, the communities' progress and coverage API, the dashboard's progress lines, the step pages, the plan
and the exports of figures) is captured for each reader, then ONE record the reader may not see is added
(a hazard assessment, a needs answer or a resource, TLP:AMBER or TLP:AMBER+STRICT, from an organization at
the table) and the capture is taken again: it must be identical. Three organizations' restricted records
behind a figure make it count them.
"""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest

from commonground.communities.models import Membership
from commonground.core.aggregates import table_member
from commonground.core.testing import api_client, page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard
from commonground.risks.tests.factories import AssessmentFactory
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.priorities import needs_profile

MARKER = "ZQXMARKER-aggregate-7731"


def tornado():
    return Hazard.objects.get(community=None, code="tornado")


def seat(table, name, sector):
    organization = OrganizationFactory(name=name, sector=sector, level="local" if sector == "public" else "")
    Membership.objects.create(community=table.community, organization=organization)
    return organization


@pytest.fixture
def scene(table):
    """A table with visible records of every kind, and an organization (Z Foods) that adds one more."""
    p2, n1 = seat(table, "P2 Water", "public"), seat(table, "N1 Shelter", "nonprofit")
    table.adder = seat(table, "Z Foods", "private")
    community = table.community
    for organization, likelihood in ((table.public_org, 4), (p2, 2), (n1, 3)):
        AssessmentFactory(
            community=community, organization=organization, likelihood=likelihood, tlp=TLP.GREEN
        )
    AssessmentFactory(community=community, organization=table.private_org, likelihood=5, tlp=TLP.GREEN)
    table.assessment = needs_services.needs_assessment_open(
        actor=table.cochair, community=community, title="Needs 2027", closes_on=datetime.date(2099, 1, 1)
    )
    table.item = table.assessment.items.first()
    for organization, level in ((table.public_org, 1), (p2, 3), (n1, 2), (table.private_org, 4)):
        needs_services.needs_answers_save(
            actor=None, assessment=table.assessment, organization=organization, tlp=TLP.GREEN,
            answers=[{"item": table.item.pk, "level": level, "importance": 5, "poete": "training"}],
        )  # fmt: skip
    ResourceFactory(community=community, organization=table.public_org, category="esf4")
    ResourceFactory(community=community, organization=table.private_org, category="esf12")
    return table


def add_assessment(table, tlp):
    AssessmentFactory(
        community=table.community, organization=table.adder, likelihood=1, impact_operations=5, tlp=tlp,
        hazard=tornado(), notes=MARKER,
    )  # fmt: skip


def add_answer(table, tlp):
    NeedsAnswer.objects.create(
        community=table.community, organization=table.adder, item=table.item, level=5, importance=1,
        poete="equipment", comment=MARKER, tlp=tlp,
    )  # fmt: skip


def add_resource(table, tlp):
    ResourceFactory(
        community=table.community, organization=table.adder, category="esf7", name=MARKER, tlp=tlp
    )


ADDERS = {"assessment": add_assessment, "needs answer": add_answer, "resource": add_resource}

# (reader, marking) pairs where a record of another organization is one the reader may not see.
RESTRICTED_FOR = [
    ("member", TLP.AMBER),
    ("member", TLP.AMBER_STRICT),
    ("other_admin", TLP.AMBER),
    ("other_admin", TLP.AMBER_STRICT),
    ("cochair", TLP.AMBER_STRICT),
    ("facilitator", TLP.AMBER_STRICT),
]


def page_text(html: str) -> str:
    """The text a reader sees on a page: no scripts, no tags, no attributes (a CSRF token changes)."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def capture(table, role) -> dict[str, object]:
    """Every figure the reader sees on every aggregate surface."""
    user = table.user(role)
    pages, api = page_client(user), api_client(user)
    slug, assessment = table.community.slug, table.assessment.pk
    figures = {}
    for path in (
        f"/c/{slug}/", f"/c/{slug}/leadership/", f"/c/{slug}/risk-profile/", f"/c/{slug}/risk-profile/print/",
        f"/c/{slug}/hazards/{tornado().pk}/", f"/needs/{assessment}/", f"/c/{slug}/plan/", f"/c/{slug}/goals/",
        f"/c/{slug}/coverage/",
    ):  # fmt: skip
        response = pages.get(path)
        assert response.status_code == 200, path
        figures[path] = (page_text(response.content.decode()), response.context.get("tlp_marking"))
    for path in (f"/c/{slug}/export/risk_profile.csv", f"/c/{slug}/export/prioritized_needs.csv"):
        response = pages.get(path)
        figures[path] = (response.content.decode("utf-8-sig"), response["X-TLP"])
    for path in (
        f"/api/v1/communities/{slug}/risk-profile/", f"/api/v1/needs-assessments/{assessment}/profile/",
        f"/api/v1/communities/{slug}/progress/", f"/api/v1/communities/{slug}/coverage/",
    ):  # fmt: skip
        response = api.get(path)
        assert response.status_code == 200, path
        figures[path] = response.json()
    if role in ("cochair", "facilitator"):
        rank = api.post(
            f"/api/v1/needs-assessments/{assessment}/rank/",
            {"item": table.item.pk, "rank": None},
            format="json",
        )
        assert rank.status_code == 200
        figures["rank"] = rank.json()
    return figures


@pytest.mark.parametrize("kind", sorted(ADDERS))
@pytest.mark.parametrize(("role", "tlp"), RESTRICTED_FOR)
def test_one_restricted_record_moves_no_figure_the_reader_sees(scene, kind, role, tlp):
    before = capture(scene, role)
    ADDERS[kind](scene, tlp)
    after = capture(scene, role)
    for surface in before:
        assert after[surface] == before[surface], surface
    assert MARKER not in repr(after)


def test_the_needs_profile_no_longer_shows_the_fire_departments_exact_answer_as_the_public_level(table):
    """Regression: the public level rested on one AMBER answer (the fire department's) among three."""
    assessment = needs_services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.first()
    b1, b2 = seat(table, "B1", "private"), seat(table, "B2", "nonprofit")
    for organization, level in ((table.public_org, 1), (b1, 3), (b2, 4)):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=TLP.AMBER,
            answers=[{"item": item.pk, "level": level, "importance": 5}],
        )  # fmt: skip
    need = next(n for n in needs_profile(viewer=viewer_for(table.member), assessment=assessment).items)
    # Three organizations' AMBER answers stand behind the item: its figures are shown...
    assert (need.organizations, need.level) == (3, round(8 / 3, 2))
    # ...but one (public) and two (private side) stand behind each sector's level: neither is.
    assert (need.public_level, need.private_level) == (None, None)
    body = api_client(table.member).get(f"/api/v1/needs-assessments/{assessment.pk}/profile/").json()
    assert body["items"][0]["public_level"] is None


def test_three_organizations_restricted_records_behind_a_figure_make_it_count_them(table):
    orgs = [seat(table, f"B{i}", "private") for i in range(3)]
    community = table.community
    for organization in orgs[:2]:
        AssessmentFactory(community=community, organization=organization, likelihood=2, tlp=TLP.AMBER_STRICT)
        ResourceFactory(community=community, organization=organization, category="esf7", tlp=TLP.AMBER)
    risk = api_client(table.member).get(f"/api/v1/communities/{community.slug}/risk-profile/").json()
    assert risk["assessing_organizations"] == 0 and risk["hazards"] == []
    steps = api_client(table.member).get(f"/api/v1/communities/{community.slug}/progress/").json()
    assert "0 of 5 organizations" in steps[4]["summary"] and steps[4]["status"] == "not_started"
    assert "covers 0" in steps[3]["summary"]
    AssessmentFactory(community=community, organization=orgs[2], likelihood=5, tlp=TLP.AMBER)
    ResourceFactory(community=community, organization=orgs[2], category="esf7", tlp=TLP.RED)
    risk = api_client(table.member).get(f"/api/v1/communities/{community.slug}/risk-profile/").json()
    assert risk["assessing_organizations"] == 3
    [tornado_row] = risk["hazards"]
    assert (tornado_row["organizations"], tornado_row["by_sector"]["private"], tornado_row["likelihood"]) == (
        3,
        3,
        3.0,
    )
    assert risk["marking"] == TLP.GREEN  # three organizations: a plain member gets the same figures
    steps = api_client(table.member).get(f"/api/v1/communities/{community.slug}/progress/").json()
    assert "3 of 5 organizations" in steps[4]["summary"] and steps[4]["status"] == "done"
    assert "covers 1" in steps[3]["summary"]


def test_the_least_privileged_member_sees_only_clear_and_green_records(table):
    from commonground.risks.models import HazardAssessment

    for tlp in (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT):
        AssessmentFactory(community=table.community, organization=table.private_org, tlp=tlp,
                          hazard=Hazard.objects.filter(community=None).exclude(
                              assessments__isnull=False).first())  # fmt: skip
    seen = HazardAssessment.objects.visible_to(table_member(table.community.pk))
    assert sorted(seen.values_list("tlp", flat=True)) == [TLP.CLEAR, TLP.GREEN]


def test_a_total_beside_its_sectors_does_not_give_away_the_one_left_out_by_subtraction(table):
    """Four AMBER answers: the fire department's (the one public) and three private ones. The private level
    counts the three; an item level over all four would give the fire department's answer as 4L - 3P."""
    assessment = needs_services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.first()
    others = [seat(table, f"B{i}", "private") for i in range(3)]
    for organization, level in ((table.public_org, 1), *((o, 4) for o in others)):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=TLP.AMBER,
            answers=[{"item": item.pk, "level": level, "importance": 5}],
        )  # fmt: skip
    need = next(n for n in needs_profile(viewer=viewer_for(table.member), assessment=assessment).items)
    assert (need.public_level, need.private_level, need.level) == (None, 4.0, 4.0)
    AssessmentFactory(community=table.community, organization=table.public_org, tlp=TLP.AMBER)
    for organization in others:
        AssessmentFactory(community=table.community, organization=organization, tlp=TLP.AMBER)
    [row] = (
        api_client(table.member)
        .get(f"/api/v1/communities/{table.community.slug}/risk-profile/")
        .json()["hazards"]
    )
    assert (row["organizations"], row["by_sector"]["public"], row["by_sector"]["private"]) == (3, 0, 3)
