import datetime
import io
import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from commonground.agenda import services as agenda_services
from commonground.communities import snapshots
from commonground.communities.models import ProgressStamp
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.core.visibility import reader_key
from commonground.resources import services as resource_services
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks import services as risk_services
from commonground.risks.models import Hazard
from commonground.sustainability import services as plan_services
from commonground.sustainability.plan_document import gather_plan

MARKER = "zq-plan-amber-marker-3"
SCORES = dict(likelihood=3, impact_life_safety=2, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip

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


def every_part_written(table):
    """Records for every part of the plan, written through the services (as people write them)."""
    adopted_issue(table, "Fuel for generators in a winter storm", table.public_org, TLP.GREEN)
    resource_services.resource_create(actor=None, community=table.community, organization=table.private_org,
                                      kind="equipment", category="esf12", tlp="TLP:AMBER", name="Generator")  # fmt: skip
    hazard = Hazard.objects.get(community=None, code="tornado")
    risk_services.hazard_assessment_create(actor=None, community=table.community, organization=table.private_org,
                                           hazard=hazard, tlp="TLP:AMBER", notes=MARKER, **SCORES)  # fmt: skip
    assessment = plan_services.needs_assessment_open(actor=table.cochair, community=table.community, title="N",
                                                     closes_on=datetime.date(2099, 1, 1))  # fmt: skip
    plan_services.needs_answers_save(
        actor=None, assessment=assessment, organization=table.private_org, tlp="TLP:AMBER",
        answers=[{"item": assessment.items.first().pk, "level": 1, "importance": 5, "comment": MARKER}],
    )  # fmt: skip
    goal = plan_services.goal_create(actor=None, community=table.community, statement="G", measure="M",
                                     target_date=datetime.date(2099, 1, 1))  # fmt: skip
    plan_services.task_create(actor=None, goal=goal, title="T", owner_organization=table.public_org,
                              due_on=datetime.date(2099, 1, 1))  # fmt: skip


def tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


# Read, and no source: the token itself; and the needs profile's kept sums and their tokens, kept fresh by
# their own rules (`sustainability.needs_sums.SOURCES`, held to them by tests/test_needs_sums.py).
TOKEN = {"communities_progressstamp", "sustainability_needssums", "sustainability_needssumsstamp"}


@pytest.mark.usefixtures("touch_at_once")
def test_every_table_the_plan_reads_is_kept_fresh_by_an_invalidation_rule(table):
    """A part of the plan that reads a table no rule keeps fresh fails here: add its rule to
    `communities.snapshots.SOURCES` (and check that the services writing it audit with the community)."""
    every_part_written(table)
    read = set()
    for user in (table.member, table.cochair, table.facilitator):
        with CaptureQueriesContext(connection) as queries:
            gather_plan(viewer=viewer_for(user), community=table.community)
        read |= set().union(*(tables_read(query["sql"]) for query in queries.captured_queries))
    assert {
        "agenda_issue",
        "resources_resource",
        "risks_hazardassessment",
        "sustainability_needsanswer",
    } <= read
    unruled = sorted(
        (read & set(connection.introspection.table_names())) - set(snapshots.source_tables()) - TOKEN
    )
    assert unruled == [], " ".join(unruled)


@pytest.mark.usefixtures("touch_at_once")
def test_a_reader_never_gets_a_plan_kept_for_a_reader_who_sees_more(table):
    """The private organization's member sees its own TLP:AMBER generator (a capability only the private
    side holds, the plan marked TLP:AMBER), and reads first; the public organization's admin, after it, is
    given a plan of their own: the capability a gap, the plan TLP:GREEN, and none of it in the cache."""
    every_part_written(table)
    mine = page_client(table.member).get("/c/riverbend/plan/")
    assert mine.context["tlp_marking"] == TLP.AMBER
    assert [c.code for c in mine.context["plan"].contribution.private_only] == ["esf12"]
    theirs = page_client(table.other_admin).get("/c/riverbend/plan/")
    assert theirs.context["tlp_marking"] == TLP.GREEN and "TLP:AMBER" not in theirs.content.decode()
    assert "esf12" in [c.code for c in theirs.context["plan"].contribution.gaps]
    token = ProgressStamp.objects.get(community=table.community).token
    key = f"{snapshots.cache_key(table.community, token)}:plan:{reader_key(viewer_for(table.other_admin))}"
    kept = cache.get(key)
    assert kept is not None and kept.marking == TLP.GREEN and not kept.contribution.private_only
    assert MARKER.encode() not in pickle.dumps(kept)


@pytest.mark.usefixtures("touch_at_once")
def test_a_write_is_in_the_next_reading_of_a_kept_plan(table):
    every_part_written(table)
    client = page_client(table.other_admin)
    assert "Water for the shelters" not in client.get("/c/riverbend/plan/").content.decode()
    adopted_issue(table, "Water for the shelters", table.public_org, TLP.GREEN)
    assert "Water for the shelters" in client.get("/c/riverbend/plan/").content.decode()


@pytest.mark.usefixtures("touch_at_once")
def test_a_kept_plan_is_what_gathering_it_gives(table):
    every_part_written(table)
    for user in (table.member, table.cochair, table.other_admin, table.facilitator):
        viewer = viewer_for(user)
        page_client(user).get("/c/riverbend/plan/")
        kept = snapshots.kept_for_reader(table.community, viewer, "plan", lambda: pytest.fail("not kept"))
        built = gather_plan(viewer=viewer, community=table.community)
        assert pickle.dumps(kept.risk.ranked) and [n.item.pk for n in kept.needs.ranked] == [
            n.item.pk for n in built.needs.ranked
        ]
        assert (kept.marking, [i.pk for i in kept.issues], kept.member_count) == (
            built.marking,
            [i.pk for i in built.issues],
            built.member_count,
        )
