from rest_framework.test import APIClient

from commonground.core.testing import api_client
from commonground.core.tlp import TLP
from commonground.risks.models import Hazard, HazardAssessment

from .factories import AssessmentFactory, CriticalFunctionFactory


def tornado():
    return Hazard.objects.get(community=None, code="tornado")


PAYLOAD = {"likelihood": 4, "impact_life_safety": 3, "impact_operations": 5, "impact_property": 2,
           "vulnerability": 4, "preparedness": 2}  # fmt: skip


def test_an_admin_assesses_through_the_api_and_gets_impact_and_risk(table):
    function = CriticalFunctionFactory(community=table.community, organization=table.private_org)
    response = api_client(table.admin).post(
        "/api/v1/assessments/",
        {**PAYLOAD, "community": "riverbend", "organization": table.private_org.pk, "hazard": tornado().pk,
         "critical_functions": [function.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.data
    body = response.json()
    assert (body["tlp"], body["impact"], body["risk"], body["hazard_name"]) == (TLP.AMBER, 5, 20, "Tornado")
    assert body["critical_functions"] == [function.pk]


def test_bad_assessments_are_400s_that_change_nothing(table):
    api = api_client(table.admin)
    base = {**PAYLOAD, "community": "riverbend", "organization": table.private_org.pk, "hazard": tornado().pk}
    assert api.post("/api/v1/assessments/", {**base, "likelihood": 0}, format="json").status_code == 400
    assert api.post("/api/v1/assessments/", {**base, "hazard": 10**9}, format="json").status_code == 400
    theirs = CriticalFunctionFactory(community=table.community, organization=table.public_org, tlp=TLP.GREEN)
    response = api.post("/api/v1/assessments/", {**base, "critical_functions": [theirs.pk]}, format="json")
    assert response.status_code == 400 and "critical_functions" in response.json()
    assert not HazardAssessment.objects.exists()


def test_the_hazard_and_organization_of_an_assessment_stay(table):
    assessment = AssessmentFactory(community=table.community, organization=table.private_org)
    other = Hazard.objects.get(community=None, code="hail")
    response = api_client(table.admin).patch(
        f"/api/v1/assessments/{assessment.pk}/", {"hazard": other.pk}, format="json"
    )
    assert response.status_code == 400
    response = api_client(table.admin).patch(
        f"/api/v1/assessments/{assessment.pk}/", {"likelihood": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["risk"] == 3


def test_the_list_holds_only_what_the_reader_may_see(table):
    AssessmentFactory(community=table.community, organization=table.private_org)
    AssessmentFactory(community=table.community, organization=table.public_org, tlp=TLP.GREEN)
    names = {
        a["organization_name"]
        for a in api_client(table.other_admin)
        .get("/api/v1/assessments/?community=riverbend")
        .json()["results"]
    }
    assert names == {"Riverbend Fire"}
    assert api_client(table.cochair).get("/api/v1/assessments/?sector=private").json()["count"] == 1


def test_the_risk_profile_endpoint_leaves_out_what_rests_on_one_organization_like_the_page(table):
    AssessmentFactory(community=table.community, organization=table.public_org)
    member = api_client(table.member).get("/api/v1/communities/riverbend/risk-profile/").json()
    assert member["marking"] == TLP.GREEN and member["assessing_organizations"] == 0
    assert member["hazards"] == []
    cochair = api_client(table.cochair).get("/api/v1/communities/riverbend/risk-profile/").json()
    assert cochair["marking"] == TLP.AMBER
    assert cochair["hazards"][0]["score"] == 9.0 and cochair["hazards"][0]["by_sector"]["public"] == 1
    assert api_client(table.outsider).get("/api/v1/communities/riverbend/risk-profile/").status_code == 404
    assert APIClient().get("/api/v1/communities/riverbend/risk-profile/").status_code == 401
