"""Step 4 as a real user does it: record a resource, then find it on the map by distance."""

from urllib.parse import urlsplit

import pytest

from .conftest import submit, visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def test_an_admin_records_a_generator_and_finds_it_by_distance_on_the_map(new_page, app_server):
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "orgadmin")
    page.goto("/c/riverbend/resources/")
    visit(page, "20-resources")
    page.get_by_role("link", name="Record a resource").click()
    visit(page, "21-resource-form")
    page.locator("#id_name").fill("Trailer generator 400 kW")
    page.locator("#id_kind").select_option("equipment")
    page.locator("#id_category").select_option("esf12")
    page.locator("#id_capacity").fill("400")
    page.locator("#id_capacity_unit").fill("kW")
    page.locator("#id_place").fill("42.9012,-84.2101")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("is in the resource database").wait_for()
    visit(page, "22-resource-detail")

    page.goto("/c/riverbend/resources/")
    page.locator("#id_near").fill("42.90,-84.21")
    page.locator("#id_organization_search").fill("grocers")  # the owner, found by a word of its name
    page.wait_for_function("document.querySelector('#id_organization').options.length === 2")
    page.locator("#id_organization").select_option(label="Capital Grocers Cooperative")
    page.locator("#id_radius_km").fill("2")
    page.locator("#id_capacity_min").fill("100")
    submit(page, page.get_by_role("button", name="Filter"))
    assert not errors, errors
    page.wait_for_selector("#resource-map[data-ready]", state="attached")
    assert page.locator(".result-count").inner_text().startswith("1 resource"), page.locator(
        ".result-count"
    ).inner_text()
    assert page.locator("#resource-map").get_attribute("data-ready") == "1"
    visit(page, "23-resources-near")
    first_row = page.locator(".resource-table tbody tr").first
    assert "Trailer generator 400 kW" in first_row.inner_text()
    assert " km" in first_row.inner_text()
    assert page.locator("#resource-map path.leaflet-interactive").count() >= 1  # the marker (and the circle)

    page.goto("/c/riverbend/resources/contribution/")
    page.wait_for_selector("#contribution-chart")
    visit(page, "24-contribution")


def test_the_map_draws_the_state_and_county_outlines_with_nothing_from_the_internet(new_page, app_server):
    page = new_page()
    left_the_host = []

    def only_this_host(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            left_the_host.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_host)
    log_in(page, "orgadmin")
    page.goto("/c/riverbend/resources/")
    page.wait_for_selector("#resource-map[data-outlines-drawn]", state="attached")
    page.wait_for_load_state("networkidle")
    outlines = page.locator("#resource-map .leaflet-outlines-pane path")
    assert (
        int(page.locator("#resource-map").get_attribute("data-outlines-drawn")) > 50
    )  # the states, Michigan's counties
    assert outlines.count() > 50  # each an SVG path in the outlines pane
    assert page.locator("#resource-map").get_attribute("data-home") == "Ingham"  # Riverbend's centre, Lansing
    assert page.locator("#resource-map .leaflet-tile").count() == 0
    assert left_the_host == []
    visit(page, "25-resources-offline-map")


def test_on_a_phone_the_resource_page_shows_the_map_first_and_folds_the_filters(new_page, app_server):
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, "orgadmin")
    page.goto("/c/riverbend/resources/")
    page.wait_for_selector("#resource-map[data-ready]", state="attached")
    filters = page.locator("details.resource-filters")
    assert filters.evaluate("details => details.open") is False
    assert not page.locator("#id_q").is_visible()
    assert page.locator("#resource-map").bounding_box()["y"] < 844  # on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit(page, "26-resources-phone")
    filters.locator("summary").click()
    assert page.locator("#id_q").is_visible()


def test_a_click_on_the_map_searches_near_that_point(new_page, app_server):
    page = new_page()
    log_in(page, "cochair.public")
    page.goto("/c/riverbend/resources/")
    page.wait_for_selector("#resource-map[data-ready]", state="attached")
    box = page.locator("#resource-map").bounding_box()
    # Away from the zoom buttons (top left), the attribution (bottom right) and most markers.
    page.locator("#resource-map").click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.3})
    page.wait_for_selector("#resource-map[data-picked]", state="attached")
    picked = page.locator("#id_near").input_value()
    latitude, longitude = (float(part) for part in picked.split(","))
    assert 40 < latitude < 47 and -91 < longitude < -82, picked  # a point of Michigan, where the map opened
    assert page.locator("#resource-map").get_attribute("data-picked") == picked
    page.locator("#id_radius_km").fill("50")
    submit(page, page.get_by_role("button", name="Filter"))
    assert "within 50" in page.locator(".result-count").inner_text()
    assert f"near={picked.replace(',', '%2C')}" in page.url
