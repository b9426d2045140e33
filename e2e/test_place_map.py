"""A location field's map: a click puts the point into the place, saving stores it, and the saved point shows
as a marker the next time the form opens; on a phone the map fits the screen."""

import pytest

from commonground.demo.demo_data import SLUG

from .conftest import PHONE, visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def pick(page, dx: int, dy: int) -> tuple[float, float]:
    """Click the place map `dx`, `dy` pixels from its centre; return the point the place field then holds."""
    page.wait_for_selector("[data-place-map][data-ready]", state="attached")
    area = page.locator("[data-place-map]")
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
    picked = page.locator("#id_place").input_value()
    assert area.get_attribute("data-picked") == picked
    lat, lon = (float(part) for part in picked.split(","))
    return lat, lon


def stored_point(page, path: str, names=("id_latitude", "id_longitude")) -> tuple[float, float]:
    """Open the form again: the coordinates it holds, and the map's marker standing on them."""
    page.goto(path)
    page.wait_for_selector("[data-place-map][data-ready]", state="attached")
    assert page.locator("[data-place-map] path.leaflet-interactive").count() == 1  # the marker
    lat, lon = (float(page.locator(f"#{name}").input_value()) for name in names)
    return lat, lon


def test_a_resource_placed_by_a_click_on_a_phone_is_stored_at_that_point(new_page, app_server):
    page = new_page(viewport=PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "orgadmin")
    page.goto(f"/c/{SLUG}/resources/new/")
    page.wait_for_selector("[data-place-map][data-outlines-drawn]", state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("[data-place-map] path.leaflet-interactive").count() == 0  # nothing placed yet
    page.locator("#id_name").fill("Cold-chain trailer placed on the map")
    page.locator("#id_kind").select_option("equipment")
    page.locator("#id_category").select_option("esf12")
    picked = pick(page, 30, -20)
    assert page.locator("[data-place-map] path.leaflet-interactive").count() == 1
    visit(page, "place-map-phone")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("is in the resource database").wait_for()
    stored = stored_point(page, page.url.rstrip("/") + "/edit/")
    assert stored == pytest.approx(picked, abs=1e-5)
    assert not errors, errors


def test_an_organization_and_the_community_are_moved_by_a_click(new_page, app_server):
    page = new_page()
    log_in(page, "cochair.public")
    page.goto(f"/c/{SLUG}/edit/")
    picked = pick(page, -40, 25)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").first.wait_for()
    names = ("id_center_latitude", "id_center_longitude")
    assert stored_point(page, f"/c/{SLUG}/edit/", names) == pytest.approx(picked, abs=1e-5)

    log_in(page, "orgadmin")
    page.goto(f"/c/{SLUG}/resources/new/")
    organization = page.locator("#id_organization").input_value()
    path = f"/organizations/{organization}/edit/"
    page.goto(path)
    before = stored_point(page, path)
    picked = pick(page, 50, 40)
    assert picked != before
    visit(page, "place-map-organization")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").first.wait_for()
    assert stored_point(page, path) == pytest.approx(picked, abs=1e-5)
