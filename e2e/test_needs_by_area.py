"""The needs assessment one mission area at a time, as a co-chair does it on a desk and on a phone: two areas
saved as drafts, away to another page and back to the drafts, a refused submission naming the areas left, then
the whole submitted and counted."""

import re

import pytest

from .conftest import PHONE, follow, submit, visit
from .server import Server
from .test_needs_flow import answer_area
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_server():
    """An installation of its own: each run answers for organizations that have not answered yet, and the other
    files' flows (which may share a server with this one in a pytest-xdist worker) answer for some too."""
    with Server() as server:
        yield server


def answering_count(page, assessment_url) -> int:
    page.goto(assessment_url)
    text = page.locator("main p").first.inner_text()
    return int(re.search(r"(\d+) organizations? (?:has|have) answered", text).group(1))


def choose_an_organization_with_no_answer(page) -> str:
    """Show, one by one, the organizations the co-chair answers for until one has answered nothing yet."""
    options = page.locator("#answering-for option").all_inner_texts()
    assert options, "the overview offers no organization to answer for"
    for name in options:
        page.locator("#answering-for").select_option(label=name)
        submit(page, page.get_by_role("button", name="Show its answers"))
        if page.locator(".area-progress__status--done").count() == 0:
            return name
    raise AssertionError("every organization has answered already")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desk", "phone"])
def test_answer_two_areas_leave_come_back_to_the_drafts_then_submit(new_page, app_server, viewport):
    page = new_page(viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "cochair.public")
    page.goto("/c/riverbend/needs/")
    follow(page, page.get_by_role("link", name=re.compile("Partnership needs assessment")))
    assessment_url = page.url
    before = answering_count(page, assessment_url)
    follow(page, page.get_by_role("link", name="Answer for your organization"))
    choose_an_organization_with_no_answer(page)
    overview_url = page.url
    areas = page.locator("ol.area-progress > li > a").all_inner_texts()
    assert len(areas) >= 4
    suffix = "-phone" if viewport else ""

    # Two areas, each saved as a draft; saving one goes on to the next.
    page.locator("ol.area-progress > li > a").first.click()
    visit(page, f"58-needs-area{suffix}")
    answer_area(page, 2, 5, "planning")
    assert areas[1] in page.locator("h1").inner_text()
    answer_area(page, 3, 4)

    # Away, and back: the drafts are there, counted nowhere.
    page.goto("/c/riverbend/goals/")
    assert answering_count(page, assessment_url) == before
    page.goto(overview_url)
    assert page.locator(".area-progress__status--done").count() == 2
    assert page.get_by_text(re.compile("answers are drafts")).is_visible()
    page.locator("ol.area-progress > li > a").first.click()
    assert page.locator("fieldset.answer-item").first.locator("select[id$='_level']").input_value() == "2"
    page.goto(overview_url)

    # Submitting with areas left is refused: the summary names them, takes the focus, and links to each.
    page.get_by_role("button", name="Submit the answers").click()
    summary = page.locator("[data-error-summary]")
    summary.get_by_text("There is a problem").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    missing = summary.locator("a").all_inner_texts()
    assert len(missing) == len(areas) - 2 and all(any(a in m for a in areas[2:]) for m in missing)
    visit(page, f"59-needs-submit-refused{suffix}")
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == summary.locator("a").first.get_attribute("href")[1:]
    assert answering_count(page, assessment_url) == before

    # The areas left, then the whole submitted once and counted.
    page.goto(overview_url)
    for _ in missing:
        page.locator("li.area-todo > a").first.click()
        answer_area(page, 4, 4)
        page.goto(overview_url)
    page.get_by_role("button", name="Submit the answers").click()
    page.get_by_text("answers are submitted").wait_for()
    assert answering_count(page, assessment_url) == before + 1
    page.goto(overview_url)
    assert page.get_by_text("Submitted.").is_visible()
    visit(page, f"60-needs-submitted{suffix}")
    assert not errors, errors
