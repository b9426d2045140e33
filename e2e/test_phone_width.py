"""Every page of the demo community on a phone (390 px wide) fits the screen: nothing scrolls the page
sideways, as a co-chair and as a member. A wide table scrolls inside its own box instead.

The pages are the demo's community pages (the permission matrix's rows that need no record but the
community), so a new page is measured here without a new line, and one record of each kind they link to.
"""

import re

import pytest

from commonground.demo.demo_data import SLUG
from commonground.demo.tests.test_demo_loads import community_pages

from .conftest import PHONE, screenshot
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

# A record's page: an address of this server with a number in it, outside the static files, admin and API.
RECORD_LINKS = """() => [...document.querySelectorAll('main a[href^="/"]')].map((a) => a.pathname)
  .filter((path) => /\\d/.test(path) && !/^\\/(static|media|admin|api|accounts)\\//.test(path))"""


def is_html_page(page, path: str) -> bool:
    """Whether the role may open the path and it is a page (not a download or a feed)."""
    response = page.request.get(path)  # the browser's session, without opening a download
    return response.status == 200 and response.headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize("username", ["cochair.public", "member"])
def test_no_page_scrolls_sideways_on_a_phone(new_page, app_server, username):
    page = new_page(viewport=PHONE)
    log_in(page, username)
    queue, kinds, measured, offenders = community_pages(SLUG), set(), [], {}
    while queue:
        path = queue.pop(0)
        if not is_html_page(page, path):
            continue
        page.goto(path)
        measured.append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            offenders[path] = width
        for link in page.evaluate(RECORD_LINKS):
            kind = re.sub(r"\d+", "N", link)
            if kind not in kinds:
                kinds.add(kind)
                queue.append(link)
    assert len(measured) > 35, measured
    assert any(re.fullmatch(r"/incidents/\d+/", path) for path in measured), "no incident board measured"
    assert not offenders, f"{username}: pages wider than {PHONE['width']}px: {offenders}"


def open_incident_board(page) -> None:
    page.goto(f"/c/{SLUG}/incidents/")
    page.goto(page.locator("main a[href^='/incidents/']").first.get_attribute("href"))


@pytest.mark.parametrize(
    ("opened", "table"),
    [(lambda page: page.goto(f"/c/{SLUG}/plan/"), "table"), (open_incident_board, "table.plan-figures")],
    ids=["plan", "incident-board"],
)
def test_a_wide_table_scrolls_in_its_own_captioned_box(new_page, app_server, opened, table):
    page = new_page(viewport=PHONE)
    log_in(page, "cochair.public")
    opened(page)
    assert page.locator(table).count() > 0
    box = page.locator(f".table-scroll:has(> {table})").first
    assert box.evaluate("(el) => getComputedStyle(el).overflowX") == "auto"
    assert box.evaluate("(el) => el.clientWidth") <= PHONE["width"]
    assert box.locator("table caption").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


BROKEN_WORDS = """() => [...document.querySelectorAll('.heat-cell a')].flatMap((link) => {
  const text = link.firstChild, broken = [], word = /[^\\s-]+/g;  // a break at a hyphen is whole
  for (let m; (m = word.exec(text.data)); ) {
    const range = document.createRange();
    range.setStart(text, m.index);
    range.setEnd(text, m.index + m[0].length);
    if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(m[0]);
  }
  return broken;
})"""


def test_the_heat_map_on_a_phone_keeps_names_whole_and_its_headers_apart(new_page, app_server):
    page = new_page(viewport=PHONE)
    log_in(page, "cochair.public")
    page.goto(f"/c/{SLUG}/risk-profile/")
    assert page.locator(".heat-cell a").count() > 3
    assert page.evaluate(BROKEN_WORDS) == [], "hazard names broken across lines mid-word"
    spilling = page.evaluate(
        "() => [...document.querySelectorAll('.heat-cell a')].filter((a) => a.scrollWidth > a.clientWidth)"
        ".map((a) => a.innerText)"
    )
    assert spilling == [], f"hazard names spilling out of their cells: {spilling}"
    headers = page.locator(".heat-map thead th")
    assert [headers.nth(i).inner_text() for i in range(5)] == [f"L {n}" for n in range(1, 6)]
    crowded = page.evaluate(
        "() => [...document.querySelectorAll('.heat-map th')].filter((th) => th.scrollWidth > th.clientWidth)"
        ".map((th) => th.innerText)"
    )
    assert crowded == [], f"heat map headers wider than their cells: {crowded}"
    screenshot(page, "heat-map-phone")
