"""The network page in a browser: a member sees the drawing and the tables, axe finds nothing, the policy blocks
nothing; a co-chair introduces two organizations in one click."""

import pytest

from .conftest import visit
from .test_csp import LISTEN
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def test_a_member_sees_the_network_drawn(new_page):
    page = new_page()
    log_in(page, "member")
    page.goto("/c/riverbend/network/")
    page.locator("#network-graph canvas").first.wait_for()
    assert page.locator("table", has_text="Organizations by broker score").count() == 1
    visit(page, "network-member")


def test_the_network_page_keeps_the_content_security_policy(browser, app_server):
    context = browser.new_context(base_url=app_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.add_init_script(LISTEN)
    try:
        log_in(page, "cochair.public")
        page.goto("/c/riverbend/network/")
        page.locator("#network-graph canvas").first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == []
        # One click introduces the first suggested pair.
        page.locator("form[action$='/network/introduce/'] button").first.click()
        page.get_by_text("have been introduced by e-mail").wait_for()
    finally:
        context.close()
