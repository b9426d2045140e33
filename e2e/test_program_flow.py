"""The program's statistics in a browser: a visitor sees the map, the charts and their tables, with small
figures suppressed; a facilitator sorts every community's progress from the keyboard and opens one. Axe finds
nothing, the policy blocks nothing, and the pages fit a phone."""

import re

import pytest

from .conftest import PHONE, visit
from .test_csp import LISTEN
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def assert_map_drawn(page) -> None:
    """The map has drawn a marker for each placed community: the demo's five, or more."""
    page.locator("#program-map[data-ready]").wait_for()
    assert int(page.locator("#program-map").get_attribute("data-ready")) >= 5


def test_a_visitor_sees_the_program(new_page):
    page = new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Program statistics"
    ).click()
    page.wait_for_url(re.compile(r"/program/$"))
    # The demo community and its four sisters at least (other browser tests of the session may add more).
    assert_map_drawn(page)
    page.locator("#organizations-chart").wait_for()
    assert page.locator("table", has_text="Communities by state").locator("tbody tr").count() == 5
    # High Plains City seats two organizations: its state's figure is suppressed, and the page says why.
    kansas = page.locator("table", has_text="Communities by state").locator("tr", has_text="Kansas")
    assert "suppressed" in kansas.inner_text()
    assert page.get_by_text("A figure that rests on one or two organizations is suppressed").count() == 1
    # A visitor opens no community from the page.
    assert page.locator("main a[href='/c/riverbend/']").count() == 0
    # Growth: every month in the table, the ends of quarters marked and settled first; the charts draw quarters.
    growth = page.locator("table", has_text="at the end of each month")
    assert growth.locator("tbody tr").count() == 24
    quarters = growth.locator("tbody tr[data-quarter-end]")
    assert quarters.count() in (8, 9)
    assert re.fullmatch(r"Q[1-4] \d{4}", quarters.last.locator("th .usa-hint").inner_text())
    this_quarter = quarters.last.locator("td")
    assert this_quarter.filter(has_text="suppressed").count() < this_quarter.count()
    labels = page.evaluate("JSON.parse(document.getElementById('growth-data').textContent).labels")
    assert len(labels) == quarters.count() and all(label.startswith("Q") for label in labels)
    visit(page, "program-visitor")


def test_a_facilitator_sorts_the_table_and_opens_a_community(new_page):
    page = new_page()
    log_in(page, "facilitator")
    page.get_by_role("link", name="Every community's progress").click()
    page.wait_for_url(re.compile(r"/program/communities/$"))
    assert_map_drawn(page)
    # Sort by the steps done from the keyboard: focus the header's link and press Enter, then again to reverse.
    header = page.locator("th a[data-sort='steps_done']")
    header.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=steps_done"))
    assert page.locator("th[aria-sort='ascending']", has_text="Steps done").count() == 1
    page.locator("th a[data-sort='steps_done']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=-steps_done"))
    assert page.locator("th[aria-sort='descending']", has_text="Steps done").count() == 1
    first = page.locator("table.program-progress tbody tr").first.locator("th").inner_text()
    assert first == "Riverbend Tri-County Region"  # the demo community is the furthest along
    visit(page, "program-facilitator")
    # A facilitator's charts draw every month.
    page.goto("/program/")
    labels = page.evaluate("JSON.parse(document.getElementById('growth-data').textContent).labels")
    assert len(labels) == 24
    page.goto("/program/communities/?sort=-steps_done")
    page.locator("table.program-progress tbody tr").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/c/riverbend/$"))


@pytest.mark.parametrize("username", [None, "facilitator"])
def test_the_program_pages_fit_a_phone_and_keep_the_policy(browser, app_server, username):
    context = browser.new_context(base_url=app_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.add_init_script(LISTEN)
    try:
        paths = ["/program/"]
        if username:
            log_in(page, username)
            paths.append("/program/communities/?sort=-step1")
        for path in paths:
            page.goto(path)
            page.locator("#program-map[data-ready]").wait_for()
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
            assert page.evaluate("window.__cspViolations") == [], path
    finally:
        context.close()
