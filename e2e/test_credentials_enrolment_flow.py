"""Enrolment in the credential program in a browser (issue 19), on a desktop and on a 390 px phone: an
organization's admin imports nominations from a CSV file (a bad row is reported by row and column and nothing
is written; a good file is checked, then written on confirmation), withdraws one, and a co-chair draws a
restricted area on the map. Every page is checked by axe and must not scroll sideways on the phone."""

import pytest

from commonground.demo.demo_data import SLUG

from .conftest import DESKTOP, PHONE, follow, submit, visit_at
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

HEADER = "name,email,job_role,facility,reason,kind\n"


def upload(page, text: str) -> None:
    page.locator("#id_file").set_input_files(
        files=[{"name": "nominations.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    submit(page, page.get_by_role("button", name="Check the file"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_admin_imports_nominations_and_a_cochair_draws_an_area(new_page, viewport):
    suffix = str(viewport["width"])
    errors = []
    admin, cochair = new_page(viewport), new_page(viewport)
    for page in (admin, cochair):
        page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(admin, "orgadmin")
    admin.goto(f"/c/{SLUG}/credentials/nominations/")
    listed_before = admin.locator("main").inner_text().count("Priya Raman")
    admin.get_by_role("link", name="Import nominations").click()
    visit_at(admin, f"nomination-import-{suffix}", viewport)
    upload(
        admin, HEADER + f"Priya Raman,orgadmin@example.org,Continuity lead {suffix},Nowhere store,shutdown,\n"
    )
    table = admin.locator("#import-errors").inner_text()
    assert "2" in table and "facility" in table and "Nowhere store" in table
    assert admin.get_by_role("button", name="Import these rows").count() == 0
    visit_at(admin, f"nomination-import-errors-{suffix}", viewport)

    upload(
        admin,
        HEADER + f"Priya Raman,orgadmin@example.org,Continuity lead {suffix},Downtown store,vital_records,\n",
    )
    assert "1 would be created" in admin.locator("main").inner_text()
    admin.get_by_role("button", name="Import these rows").click()
    admin.get_by_text("1 were created").wait_for()
    visit_at(admin, f"nominations-imported-{suffix}", viewport)
    assert admin.locator("main").inner_text().count("Priya Raman") == listed_before + 1

    follow(admin, admin.locator("main table").first.get_by_role("link", name="Priya Raman").first)
    assert f"Continuity lead {suffix}" in admin.locator("main").inner_text()
    visit_at(admin, f"nomination-imported-detail-{suffix}", viewport)
    admin.get_by_role("button", name="Withdraw the nomination").click()
    admin.get_by_text("The nomination was withdrawn.").wait_for()
    assert "Withdrawn" in admin.locator("main").inner_text()

    log_in(cochair, "cochair.private")
    cochair.goto(f"/c/{SLUG}/credentials/areas/new/")
    cochair.wait_for_selector("[data-area-picker][data-ready]", state="attached")
    visit_at(cochair, f"area-form-{suffix}", viewport)
    assert not cochair.locator("#id_polygon").is_visible()  # the map stands in for the GeoJSON field
    cochair.locator("#id_name").fill(f"Riverfront {suffix}")
    picker = cochair.locator("[data-area-picker]")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.75)):
        cochair.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    cochair.get_by_role("button", name="Finish the polygon").click()
    assert '"Polygon"' in cochair.locator("#id_polygon").input_value()
    assert "polygon of 3 points" in cochair.locator("#area-status").inner_text()
    cochair.get_by_role("button", name="Save").click()
    cochair.wait_for_url(f"**/c/{SLUG}/credentials/")
    assert f"Riverfront {suffix}" in cochair.locator("main").inner_text()
    assert not errors, errors
