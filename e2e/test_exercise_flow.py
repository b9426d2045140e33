"""Step 6, workshops and exercises: a co-chair records a tabletop exercise whose corrective action becomes a task."""

import datetime

import pytest

from .conftest import visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def test_a_tabletop_exercise_with_an_after_action_report_and_a_corrective_action(new_page, app_server):
    cochair = new_page()
    errors = []
    cochair.on("pageerror", lambda error: errors.append(str(error)))
    log_in(cochair, "cochair.public")
    cochair.goto("/c/riverbend/meetings/")
    visit(cochair, "60-meetings")
    cochair.get_by_role("link", name="Plan a workshop or meeting").click()
    cochair.locator("#id_kind").select_option("tabletop")
    cochair.locator("#id_title").fill("Chemical release tabletop")
    held = datetime.datetime.now() - datetime.timedelta(days=2)
    cochair.locator("#id_starts_at").fill(held.strftime("%Y-%m-%dT09:00"))
    cochair.locator("#id_location").fill("Regional EOC")
    cochair.locator("#id_scenario").fill("A rail tank car leaks chlorine near the river port at rush hour.")
    cochair.get_by_label("Hazardous materials release").check()
    visit(cochair, "61-meeting-form")
    cochair.get_by_role("button", name="Save").click()
    cochair.get_by_text("It is on the calendar").wait_for()
    visit(cochair, "62-exercise")

    cochair.get_by_role("link", name="Record attendance").click()
    cochair.get_by_label("Riverbend Fire Department").fill("4")
    cochair.get_by_label("Capital Grocers Cooperative").fill("1")
    visit(cochair, "63-attendance")
    cochair.get_by_role("button", name="Save attendance").click()
    cochair.get_by_text("Attendance recorded").wait_for()
    assert "Capital Grocers Cooperative" in cochair.locator("table").first.inner_text()

    cochair.get_by_text("Add an objective", exact=True).click()
    cochair.locator("#id_objective-text").fill("Shelter in place the port district within 30 minutes")
    cochair.locator("#id_objective-capability").select_option("Public Information and Warning")
    cochair.get_by_role("button", name="Add the objective").click()
    cochair.get_by_text("Added to the after-action report").wait_for()
    cochair.get_by_text("Add an observation", exact=True).click()
    observation = cochair.locator("form[action$='/observations/new/']")
    observation.locator("#id_observation-kind").select_option("improvement")
    observation.locator("#id_observation-objective").select_option(
        label="Shelter in place the port district within 30 minutes"
    )
    observation.locator("#id_observation-text").fill("Businesses in the port had no way to receive the alert")
    cochair.get_by_role("button", name="Add the observation").click()
    cochair.get_by_text("Added to the after-action report").wait_for()
    visit(cochair, "64-after-action-report")

    cochair.get_by_role("link", name="Assign a corrective action").click()
    cochair.locator("#id_title").fill("Enrol port businesses in the alert list")
    cochair.locator("#id_owner_organization").select_option(label="Capital Grocers Cooperative")
    cochair.locator("#id_due_on").fill((datetime.date.today() + datetime.timedelta(days=60)).isoformat())
    visit(cochair, "65-corrective-action")
    cochair.get_by_role("button", name="Assign").click()
    cochair.get_by_text("The corrective action is a task now").wait_for()
    assert "Improvement plan: Chemical release tabletop" in cochair.content()
    visit(cochair, "66-corrective-task")

    cochair.goto("/c/riverbend/goals/")
    assert (
        "Enrol port businesses in the alert list"
        in cochair.locator("section.goal", has_text="Improvement plan: Chemical").inner_text()
    )
    assert not errors, errors


def test_the_partnership_plan_prints_and_downloads_as_a_pdf(new_page, app_server):
    member = new_page()
    log_in(member, "member")
    member.goto("/c/riverbend/")
    member.get_by_role("link", name="The partnership plan (print or PDF)").click()
    member.get_by_role("heading", name="Partnership plan: Riverbend Tri-County Region").wait_for()
    visit(member, "67-partnership-plan")
    member.emulate_media(media="print")
    assert (
        member.locator("header.tlp-banner").is_visible() and member.locator("footer.tlp-banner").is_visible()
    )
    assert not member.get_by_role("link", name="Download as PDF").is_visible()  # not on paper
    member.emulate_media(media="screen")
    with member.expect_download() as download:
        member.get_by_role("link", name="Download as PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == "riverbend-partnership-plan.pdf"
