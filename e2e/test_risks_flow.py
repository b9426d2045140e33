"""Step 5 as real users do it: an organization assesses a hazard and watches the heat map; others see nothing of it."""

import re

import pytest

from .conftest import visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def test_an_admin_assesses_hail_and_the_heat_map_shows_it_to_them_but_withholds_it_from_others(
    new_page, app_server
):
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "orgadmin")
    page.goto("/c/riverbend/risk-profile/")
    visit(page, "30-risk-profile")
    assert "Hail" not in page.locator(".heat-map").inner_text()
    page.get_by_role("link", name="Assess a hazard").click()
    visit(page, "31-assessment-form")
    page.locator("#id_hazard").select_option(label="Hail")
    page.locator("#id_likelihood").select_option("5")
    for field in ("life_safety", "operations", "property"):
        page.locator(f"#id_impact_{field}").select_option("5")
    page.locator("#id_vulnerability").select_option("4")
    page.locator("#id_preparedness").select_option("2")
    page.locator("#id_notes").fill("Roof-top refrigeration units on both stores.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/c/riverbend/hazards/\d+/"))
    visit(page, "32-hazard-detail")
    assert "Capital Grocers Cooperative" in page.locator("main").inner_text()

    page.get_by_role("link", name="Back to the risk profile").click()
    page.wait_for_url(re.compile(r"/risk-profile/$"))
    extreme = page.locator('.heat-cell[data-likelihood="5"][data-impact="5"]')
    assert "Hail" in extreme.inner_text()
    assert "heat-extreme" in extreme.get_attribute("class")
    assert page.locator(".tlp-banner").first.inner_text().strip().startswith("TLP:AMBER")
    visit(page, "33-risk-profile-after")
    assert not errors, errors

    # A member of another organization: hail rests on one organization's TLP:AMBER assessment.
    other = new_page(viewport={"width": 390, "height": 844})
    log_in(other, "member")
    other.goto("/c/riverbend/risk-profile/")
    visit(other, "34-risk-profile-member-phone")
    assert "Hail" not in other.locator(".heat-map").inner_text()
    assert "Hail" not in other.locator(".ranked-hazards").inner_text()  # one organization's: left out
    assert other.evaluate("document.documentElement.scrollWidth") <= 400, (
        "the profile scrolls sideways on a phone"
    )
    other.goto("/c/riverbend/risk-profile/print/")
    visit(other, "35-risk-profile-print")
