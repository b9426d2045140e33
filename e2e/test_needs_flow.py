"""Step 6, first part, as real users do it: two organizations answer the needs assessment and read its profile."""

import re

import pytest

from .conftest import visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def answer_area(page, level, importance, gap=""):
    """On an area's page, answer its first item and save the area as a draft."""
    item = page.locator("fieldset.answer-item").first
    item.locator("select[id$='_level']").select_option(str(level))
    item.locator("select[id$='_importance']").select_option(str(importance))
    if gap:
        item.locator("select[id$='_poete']").select_option(gap)
    page.get_by_role("button", name=re.compile("^Save .* as a draft$")).click()
    page.get_by_text("is saved as a draft").wait_for()


def answer_every_area(page, level, importance, gap):
    """From the progress list, answer each mission area's first item, then submit them all."""
    overview = page.url
    for n in range(page.locator("ol.area-progress > li > a").count()):
        page.goto(overview)
        page.locator("ol.area-progress > li > a").nth(n).click()
        answer_area(page, level, importance, gap)
    page.goto(overview)
    page.get_by_role("button", name="Submit the answers").click()
    page.get_by_text("answers are submitted").wait_for()


def test_two_organizations_answer_and_the_profile_ranks_the_needs(new_page, app_server):
    grocer = new_page()
    errors = []
    grocer.on("pageerror", lambda error: errors.append(str(error)))
    log_in(grocer, "orgadmin")
    grocer.goto("/c/riverbend/needs/")
    visit(grocer, "50-needs")
    grocer.get_by_role("link", name=re.compile("Partnership needs assessment")).click()
    grocer.get_by_role("link", name="Answer for your organization").click()
    visit(grocer, "51-needs-answer")
    answer_every_area(grocer, 1, 5, "equipment")
    grocer.wait_for_selector("#needs-chart[data-ready]", state="attached")
    visit(grocer, "52-needs-profile")
    assert grocer.locator(".needs-table tbody tr").count() >= 5

    cochair = new_page()
    log_in(cochair, "cochair.public")
    cochair.goto(grocer.url.rstrip("/") + "/answer/")
    cochair.locator("#answering-for").select_option(label="Riverbend Police Department")
    cochair.get_by_role("button", name="Show its answers").click()
    answer_every_area(cochair, 2, 5, "training")
    first_need = cochair.locator(".needs-table tbody tr").first.inner_text()
    assert "/" in first_need  # "organizations with the need / organizations that answered"
    visit(cochair, "53-needs-profile-cochair")
    assert not errors, errors


def test_a_cochair_sets_a_goal_and_a_task_that_its_owner_completes(new_page, app_server):
    cochair = new_page()
    log_in(cochair, "cochair.public")
    cochair.goto("/c/riverbend/goals/")
    visit(cochair, "54-goals")
    cochair.get_by_role("link", name="Set a goal").click()
    cochair.locator("#id_statement").fill("Every hospital partner can talk to fire on one radio channel")
    cochair.locator("#id_measure").fill("A shared talk group tested monthly")
    cochair.locator("#id_target_date").fill("2027-09-30")
    cochair.locator("input[name='needs']").first.check()
    visit(cochair, "55-goal-form")
    cochair.get_by_role("button", name="Save").click()
    cochair.get_by_text("The goal is set").wait_for()
    goal = cochair.locator("section.goal", has_text="one radio channel")
    goal.get_by_role("link", name="Add a task").click()
    cochair.locator("#id_title").fill("Program the shared talk group")
    cochair.locator("#id_owner_organization").select_option(label="Riverbend Fire Department")
    cochair.locator("#id_due_on").fill("2027-03-31")
    visit(cochair, "56-task-form")
    cochair.get_by_role("button", name="Save").click()
    cochair.get_by_text("The task is handed out").wait_for()
    task_url = cochair.url

    member = new_page()
    log_in(member, "member")  # Riverbend Fire Department, the task's owner
    member.goto(task_url)
    member.locator("#id_status").select_option("done")
    member.locator("#id_note").fill("Talk group FIRE-HOSP programmed in all engines.")
    member.get_by_role("button", name="Record progress").click()
    member.get_by_text("Progress recorded").wait_for()
    assert "FIRE-HOSP" in member.locator(".progress-notes").inner_text()
    visit(member, "57-task-done")
