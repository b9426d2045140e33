"""Joint incident management as real users do it, on a desktop and on a phone (390 px): a co-chair opens an
incident on the map, a member posts two requests, the co-chair approves them and proposes the plan, the
resource's owner accepts, the resource is deployed, the co-chair's board shows it without a reload, and closing
writes the after-action summary. Every page is checked by axe and must not scroll sideways on the phone."""

import datetime
import re

import pytest

from .conftest import DESKTOP, PHONE, visit_at
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def record_the_boom(owner, suffix: str, viewport) -> str:
    """The owner records a resource no other organization has, disclosed to an incident's leadership."""
    name = f"Spill containment boom trailer {suffix}"
    owner.goto("/c/riverbend/resources/new/")
    owner.locator("#id_name").fill(name)
    owner.locator("#id_kind").select_option("equipment")
    owner.locator("#id_category").select_option("esf10")
    owner.locator("#id_quantity").fill("2")
    owner.locator("#id_place").fill("42.7400,-84.5500")
    owner.locator("#id_deploy_hours").fill("1")
    owner.locator("#id_tlp").select_option("TLP:GREEN")
    owner.locator("label[for=id_disclosed_in_incidents]").click()
    assert owner.locator("#id_disclosed_in_incidents").is_checked()
    owner.get_by_role("button", name="Save").click()
    owner.get_by_text("is in the resource database").wait_for()
    assert "Disclosed to an active incident" in owner.locator("main").inner_text()
    return owner.url


def open_the_incident(cochair, title: str, viewport, *, draw_polygon: bool) -> str:
    cochair.goto("/c/riverbend/incidents/")
    visit_at(cochair, f"incidents-list-{viewport['width']}", viewport)
    cochair.get_by_role("link", name="Open an incident").click()
    cochair.wait_for_selector("[data-area-picker][data-ready]", state="attached")
    visit_at(cochair, f"incident-form-{viewport['width']}", viewport)
    cochair.locator("#id_hazard").select_option(label="Riverine flooding")
    cochair.locator("#id_title").fill(title)
    cochair.locator("#id_description").fill("Oil sheen on the river below the refinery outfall.")
    cochair.locator("#id_tlp").select_option("TLP:GREEN")
    picker = cochair.locator("[data-area-picker]")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    if draw_polygon:
        cochair.get_by_role("button", name="Draw a polygon").click()
        for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.75)):
            cochair.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        cochair.get_by_role("button", name="Finish the polygon").click()
        assert '"Polygon"' in cochair.locator("#id_polygon").input_value()
        assert "polygon of 3 points" in cochair.locator("#area-status").inner_text()
    else:
        cochair.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert cochair.locator("#id_latitude").input_value().startswith("42.")
        cochair.locator("#id_radius_km").fill("6")
    cochair.get_by_role("button", name="Open the incident").click()
    cochair.get_by_text("The incident is open").wait_for()
    cochair.wait_for_selector("#board-map[data-ready]", state="attached")
    visit_at(cochair, f"incident-board-new-{viewport['width']}", viewport)
    return cochair.url


def post_request(
    member, board: str, description: str, *, category: str, kind: str, zip_code: str = ""
) -> str:
    member.goto(board)
    member.get_by_role("link", name="Request resources").click()
    member.wait_for_selector("[data-point-picker][data-ready]", state="attached")
    member.locator("#id_description").fill(description)
    member.locator("#id_kind").select_option(kind)
    member.locator("#id_category").select_option(category)
    member.locator("#id_quantity").fill("1")
    member.locator("#id_priority").select_option("1")
    needed = datetime.datetime.now() + datetime.timedelta(days=1)
    member.locator("#id_needed_by").fill(needed.strftime("%Y-%m-%dT%H:%M"))
    if zip_code:
        member.locator("#id_zip_code").fill(zip_code)
    else:
        member.locator("[data-point-picker]").click()  # the centre of the incident's area
        assert member.locator("#id_latitude").input_value().startswith("42.")
    member.get_by_role("button", name="Submit the request").click()
    member.get_by_text("is submitted to the incident's leadership").wait_for()
    return re.search(r"Request (\S+):", member.locator("h1").inner_text()).group(1)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_incident_from_opening_to_its_after_action_summary(new_page, viewport):
    suffix = str(viewport["width"])
    errors = []
    cochair, member, owner = new_page(viewport), new_page(viewport), new_page(viewport)
    for page in (cochair, member, owner):
        page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(owner, "orgadmin")
    record_the_boom(owner, suffix, viewport)

    log_in(cochair, "cochair.public")
    title = f"Oil spill on the Grand River ({suffix})"
    board = open_the_incident(cochair, title, viewport, draw_polygon=viewport is DESKTOP)

    log_in(member, "member")
    member.goto("/c/riverbend/")
    assert title in member.locator(".incident-banner").inner_text()  # the banner on the dashboard
    visit_at(member, f"dashboard-with-incident-{suffix}", viewport)
    boom = post_request(member, board, "Boom to contain the sheen", category="esf10", kind="equipment")
    visit_at(member, f"request-detail-{suffix}", viewport)
    sandbags = post_request(
        member, board, "Sandbags for the outfall", category="esf3", kind="supply", zip_code="48933"
    )
    visit_at(member, f"request-form-done-{suffix}", viewport)

    cochair.goto(board)
    for reference in (boom, sandbags):
        cochair.get_by_role("button", name=f"Approve {reference}").click()
        cochair.get_by_text(f"Request {reference}: Approved.").first.wait_for()
    cochair.get_by_role("button", name=re.compile("Propose a plan|Solve the plan again")).click()
    cochair.locator(".plan-figures").wait_for()
    assert "Greedy" in cochair.locator(".plan-figures").inner_text()
    visit_at(cochair, f"incident-plan-{suffix}", viewport)
    # The owner's boom is the one resource of its kind (an earlier run's, released at its close, may be chosen).
    commit = cochair.get_by_role(
        "button", name=re.compile(rf"^Commit Spill containment boom trailer \d+ → {boom}$")
    )
    chosen = re.search(r"Spill containment boom trailer \d+", commit.inner_text()).group(0)
    resource_page = (
        cochair.locator("#board-live").get_by_role("link", name=chosen).first.get_attribute("href")
    )
    commit.click()
    cochair.get_by_text("the resource's owner is asked to accept").wait_for()
    cochair.locator("#board-live[hx-get]").wait_for(state="attached")

    owner.goto(board)
    owner.get_by_role("button", name=f"Accept {chosen} → {boom}").click()
    owner.get_by_text("the resource is deployed to the incident").wait_for()
    visit_at(owner, f"incident-board-owner-{suffix}", viewport)
    owner.goto(resource_page)
    assert "Deployed to an incident" in owner.locator("main").inner_text()

    # The co-chair's board, left open, shows the owner's answer on its own (htmx polls its live part).
    cochair.locator("#board-live .assignment-accepted").first.wait_for(timeout=20_000)
    assert "Accepted" in cochair.locator("#committed-heading + table").inner_text()

    cochair.locator("#id_note").fill("The sheen is contained; the booms come home.")
    cochair.get_by_role("button", name="Close the incident").click()
    cochair.get_by_text("The incident is closed").wait_for()
    summary = cochair.locator("#summary")
    assert "After-action summary" in summary.inner_text()
    assert "Time to fill" in summary.inner_text()
    visit_at(cochair, f"incident-summary-{suffix}", viewport)
    owner.goto(resource_page)
    assert "Deployed to an incident" not in owner.locator("main").inner_text()  # returned at the close
    assert not errors, errors


def test_the_demo_incidents_read_well_on_a_phone(new_page):
    page = new_page(PHONE)
    log_in(page, "cochair.public")
    page.goto("/c/riverbend/incidents/")
    visit_at(page, "phone-incidents", PHONE)
    page.get_by_role("link", name="Winter storm Ulla").click()
    page.wait_for_selector("#board-map[data-ready]", state="attached")
    assert "After-action summary" in page.locator("#summary").inner_text()
    visit_at(page, "phone-winter-storm", PHONE)
    page.goto("/c/riverbend/incidents/")
    page.get_by_role("link", name="Exercise: ice jam on the Grand River").first.click()
    page.wait_for_selector("#board-map[data-ready]", state="attached")
    visit_at(page, "phone-exercise-board", PHONE)
    page.get_by_role("link", name="The whole log").click()
    visit_at(page, "phone-incident-log", PHONE)
