from commonground.agenda.models import Issue
from commonground.core.testing import page_client
from commonground.risks.models import Hazard

from .factories import SPECIFIC, propose


def test_propose_endorse_adopt_through_the_pages(table):
    winter = Hazard.objects.get(community=None, code="winter_weather")
    response = page_client(table.member).post(
        "/c/riverbend/issues/new/",
        {
            **SPECIFIC,
            "organization": table.private_org.pk,
            "hazards": [winter.pk],
            "severity": "4",
            "tlp": "TLP:GREEN",
        },
    )
    issue = Issue.objects.get()
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    other = page_client(table.other_admin)
    other.post(
        f"/issues/{issue.pk}/endorse/",
        {"organization": table.public_org.pk, "severity": "3", "comment": "Us too"},
    )
    page = other.get(issue.get_absolute_url())
    assert page.context["impact"].both_sectors and "Us too" in page.content.decode()
    assert (
        page_client(table.member).post(f"/issues/{issue.pk}/decide/", {"decision": "adopt"}).status_code
        == 403
    )
    page_client(table.cochair).post(f"/issues/{issue.pk}/decide/", {"decision": "adopt"})
    assert Issue.objects.get().status == "adopted"
    listing = page_client(table.member).get("/c/riverbend/issues/")
    assert [i.title for i in listing.context["page_obj"]] == [SPECIFIC["title"]]
    assert "both sectors" in listing.content.decode()


def test_a_vague_proposal_shows_what_to_add_and_saves_nothing(table):
    response = page_client(table.member).post(
        "/c/riverbend/issues/new/",
        {"organization": table.private_org.pk, "title": "Be ready", "description": "Stuff.", "mission_area": "response",
         "outcome": "Better.", "severity": "3", "tlp": "TLP:GREEN"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"hazards", "description", "outcome"} <= set(errors)
    assert "Name the hazards" in str(errors["hazards"])
    assert not Issue.objects.exists()


def test_the_issue_shows_the_assessed_risk_of_its_hazards_and_the_hazard_its_issues(table):
    from commonground.risks.tests.factories import AssessmentFactory

    winter = Hazard.objects.get(community=None, code="winter_weather")
    AssessmentFactory(
        community=table.community, organization=table.private_org, hazard=winter, tlp="TLP:GREEN"
    )
    issue = propose(table)
    page = page_client(table.member).get(issue.get_absolute_url())
    [(hazard, risk)] = page.context["hazard_risks"]
    assert hazard == winter and risk.score == 9.0
    hazard_page = page_client(table.member).get(f"/c/riverbend/hazards/{winter.pk}/")
    assert list(hazard_page.context["issues"]) == [issue]


def test_a_dot_vote_through_the_pages(table):
    first, second = propose(table, title="Fuel"), propose(table, title="Cooling centres")
    cochair = page_client(table.cochair)
    for issue in (first, second):
        cochair.post(f"/issues/{issue.pk}/decide/", {"decision": "adopt"})
    response = cochair.post(
        "/c/riverbend/votes/new/",
        {"title": "Order", "kind": "dot", "dots": "5", "issues": [first.pk, second.pk]},
    )
    vote_url = response["Location"]
    admin = page_client(table.admin)
    form = admin.get(vote_url).context["form"]
    assert {f"issue_{first.pk}", f"issue_{second.pk}"} <= set(form.fields)
    too_many = admin.post(
        vote_url, {"organization": table.private_org.pk, f"issue_{first.pk}": "4", f"issue_{second.pk}": "4"}
    )
    assert too_many.status_code == 200 and "at most 5" in str(too_many.context["form"].errors)
    admin.post(
        vote_url, {"organization": table.private_org.pk, f"issue_{first.pk}": "1", f"issue_{second.pk}": "4"}
    )
    cochair.post(vote_url + "close/")
    assert dict(Issue.objects.values_list("title", "agenda_rank")) == {"Fuel": 2, "Cooling centres": 1}
    agenda = page_client(table.member).get("/c/riverbend/agenda/")
    assert [i.title for i in agenda.context["issues"]] == ["Cooling centres", "Fuel"]
