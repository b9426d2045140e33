import io

from pypdf import PdfReader

from commonground.agenda import services as agenda_services
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.resources.tests.factories import ResourceFactory

ISSUE = {
    "description": "In a winter storm fuel deliveries stop and hospitals, the water plant and grocers run short.",
    "mission_area": "response",
    "outcome": "A shared fuel priority list in place before winter.",
    "situation": "Interstate closed by snow",
}


def adopted_issue(table, title: str, organization, tlp: str):
    issue = agenda_services.issue_propose(actor=None, community=table.community, organization=organization,
                                          severity=3, title=title, tlp=tlp, **ISSUE)  # fmt: skip
    agenda_services.issue_decide(actor=table.cochair, issue=issue, decision="adopt")
    return issue


def test_the_plan_shows_each_reader_what_they_may_see_and_is_marked_accordingly(table):
    adopted_issue(table, "Fuel for generators in a winter storm", table.public_org, TLP.GREEN)
    ResourceFactory(
        community=table.community, organization=table.private_org, category="esf12", tlp=TLP.AMBER
    )
    mine = page_client(table.member).get("/c/riverbend/plan/")  # of the private organization
    assert mine.status_code == 200 and mine.context["tlp_marking"] == TLP.AMBER
    assert [c.code for c in mine.context["plan"].contribution.private_only] == ["esf12"]
    theirs = page_client(table.other_admin).get("/c/riverbend/plan/")
    body = theirs.content.decode()
    assert theirs.context["tlp_marking"] == TLP.GREEN
    assert "esf12" in [c.code for c in theirs.context["plan"].contribution.gaps]
    assert "Fuel for generators" in body
    assert "Riverbend Fire" in body and "Great Lakes Logistics" in body  # the table, by sector


def test_the_plan_as_a_pdf_carries_its_marking_on_every_page(table):
    adopted_issue(table, "Fuel for generators in a winter storm", table.public_org, TLP.GREEN)
    response = page_client(table.other_admin).get("/c/riverbend/plan/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert all("TLP:GREEN" in page.extract_text() for page in pages)
    assert "Fuel for generators" in "".join(page.extract_text() for page in pages)


def test_outsiders_do_not_find_the_plan(table):
    assert page_client(table.outsider).get("/c/riverbend/plan/").status_code == 404
    assert page_client(table.outsider).get("/c/riverbend/plan/?format=pdf").status_code == 404


def test_regression_plan_totals_are_per_unit_never_cases_and_gallons_added(table):
    for quantity, unit in ((2000, "cases"), (400, "Cases "), (120, "gallons"), (18, "pallets")):
        ResourceFactory(
            community=table.community, organization=table.public_org, kind="supply", category="esf6",
            quantity=quantity, unit=unit, capacity=None, capacity_unit="",
        )  # fmt: skip
    body = page_client(table.member).get("/c/riverbend/plan/").content.decode()
    assert "Supply: 2,400 cases; 120 gallons; 18 pallets" in body
    assert "2538" not in body and "2,538" not in body
    listed = page_client(table.member).get("/c/riverbend/resources/").content.decode()
    assert "2,400 cases; 120 gallons; 18 pallets" in listed
