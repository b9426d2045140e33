"""Steps 1 and 2 as real users do them, in a real browser: every page checked by axe and photographed."""

import re
import time

import pytest

from .conftest import check_accessibility, screenshot, visit

PASSWORD = "commonground-demo"
pytestmark = pytest.mark.browser


def log_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/my-work/"))


def invite(page, slug, name, email, organization, category):
    page.goto(f"/c/{slug}/invitations/")
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_organization_name").fill(organization)
    page.locator("#id_suggested_category").select_option(category)
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"An invitation is on its way to {email}").wait_for()


def accept(page, link, first, last, username, organization_fields):
    page.goto(link)
    visit(page, f"accept-{username}")
    page.locator("#id_first_name").fill(first)
    page.locator("#id_last_name").fill(last)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("a-long-password-for-" + username)
    for label, value in organization_fields.items():
        field = page.locator(f"#id_org-{label}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Join the table").click()
    page.get_by_text("Welcome to the").wait_for()


def invitation_link(server, email: str) -> str:
    """Return the invitation link mailed to `email`, waiting for the task worker to send it."""
    deadline = time.monotonic() + 30
    while True:
        for message in reversed(server.all_mail().split("-" * 79)):
            match = re.search(r"(http://127\.0\.0\.1:\d+/invite/\S+/)", message)
            if f"To: {email}" in message and match:
                return match.group(1)
        assert time.monotonic() < deadline, f"no invitation mailed to {email} within 30 s"
        time.sleep(0.2)


def test_a_partnership_from_its_start_to_a_co_shared_leadership(new_page, app_server):
    facilitator = new_page()
    facilitator.goto("/")
    visit(facilitator, "01-landing")
    log_in(facilitator, "facilitator")  # lands on My work
    facilitator.get_by_role("link", name="Communities").first.click()
    visit(facilitator, "02-communities")

    facilitator.get_by_role("link", name="Start a community").click()
    facilitator.locator("#id_name").fill("Oakridge City")
    facilitator.locator("#id_slug").fill("oakridge")
    facilitator.locator("#id_kind").select_option("city")
    facilitator.locator("#id_state").select_option("MI")
    facilitator.locator("#id_place").fill("Lansing, MI")
    visit(facilitator, "03-community-form")
    facilitator.get_by_role("button", name="Save").click()
    facilitator.wait_for_url(re.compile(r"/c/oakridge/$"))
    visit(facilitator, "04-dashboard-new")
    assert "Step 1" in facilitator.locator("#step-1").inner_text()
    assert "Not started" in facilitator.locator("#step-1").inner_text()

    facilitator.goto("/c/oakridge/coverage/")
    assert "0 of" in facilitator.locator("main").inner_text()

    invite(facilitator, "oakridge", "Dana Whit", "dana@example.org", "Oakridge Police Department", "police")
    visit(facilitator, "05-invitations")
    dana = new_page()
    accept(
        dana,
        invitation_link(app_server, "dana@example.org"),
        "Dana",
        "Whit",
        "dana",
        {"sector": "public", "level": "local", "zip_code": "48911"},
    )
    visit(dana, "06-dashboard-as-invitee")

    invite(
        facilitator, "oakridge", "Marcus Reyes", "marcus@example.org", "Oakridge Grocers", "small_employer"
    )
    marcus = new_page()
    accept(
        marcus,
        invitation_link(app_server, "marcus@example.org"),
        "Marcus",
        "Reyes",
        "marcus",
        {"sector": "private", "employees": "40"},
    )

    facilitator.goto("/c/oakridge/coverage/")
    visit(facilitator, "07-coverage")
    assert "2 of" in facilitator.locator("main").inner_text()

    facilitator.goto("/c/oakridge/leadership/")
    for person in ("Dana Whit", "Marcus Reyes"):
        option = next(
            text for text in facilitator.locator("#id_person option").all_inner_texts() if person in text
        )
        facilitator.locator("#id_person").select_option(label=option)
        facilitator.get_by_role("button", name="Record co-chair").click()
        facilitator.get_by_text("Co-chair recorded.").wait_for()
    visit(facilitator, "08-leadership")
    facilitator.goto("/c/oakridge/")
    assert "Done" in facilitator.locator("#step-1").inner_text()
    visit(facilitator, "09-dashboard-step1-done")

    facilitator.goto("/c/oakridge/invitations/tree/")
    assert "Dana Whit" in facilitator.locator("main").inner_text()
    visit(facilitator, "10-invitation-tree")

    facilitator.goto("/c/oakridge/import/")
    facilitator.locator("#id_kind").select_option("organizations")
    facilitator.locator("#id_file").set_input_files(
        files=[
            {
                "name": "orgs.csv",
                "mimeType": "text/csv",
                "buffer": b"name,sector,category\nOakridge Fire,public,fire\nBad Row Inc,private,volcanology\n",
            }
        ]
    )
    facilitator.get_by_role("button", name="Check the file").click()
    errors = facilitator.locator("#import-errors")
    errors.wait_for()
    assert (
        "3" in errors.inner_text()
        and "category" in errors.inner_text()
        and "volcanology" in errors.inner_text()
    )
    visit(facilitator, "11-import-errors")

    facilitator.get_by_role("button", name=re.compile("Log out")).click()
    facilitator.wait_for_url(re.compile(r"/$"))
    assert "Members: log in" in facilitator.locator("main").inner_text()


def test_the_demo_pages_pass_axe_and_fit_a_phone(new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, "cochair.public")
    for name, path in [
        ("phone-dashboard", "/c/riverbend/"),
        ("phone-organizations", "/c/riverbend/organizations/"),
        ("phone-people", "/c/riverbend/people/"),
        ("phone-coverage", "/c/riverbend/coverage/"),
        ("phone-audit", "/c/riverbend/audit/"),
    ]:
        page.goto(path)
        visit(page, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} scrolls sideways on a phone ({width}px)"


def test_keyboard_only_login_with_skip_link_and_visible_focus(new_page):
    page = new_page()
    page.goto("/accounts/login/")
    # The login form puts the cursor in the username field; the rest is Tab, typing and Enter.
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type("member")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/my-work/"))

    page.goto("/c/riverbend/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('usa-skipnav')"), (
        "the first Tab does not reach the skip link"
    )
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") not in ("none", ""), (
        "no visible focus"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip().startswith("Leadership (step 1)"):
            break
    else:
        pytest.fail("the leadership link cannot be reached with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/c/riverbend/leadership/"))


def test_the_api_documentation_passes_axe(new_page):
    page = new_page()
    log_in(page, "cochair.public")
    page.goto("/api/docs/")
    page.wait_for_selector(
        ".swagger-ui .opblock-tag"
    )  # Swagger UI has read the schema and drawn its sections
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("main h1.api-docs__title").text_content() == "Common Ground API documentation"
    assert page.get_by_role("main").count() == 1
    screenshot(page, "api-docs")
    # Swagger UI's own list of operations (nested buttons, small links) is its makers' markup, not ours.
    check_accessibility(page, "api-docs", exclude=("#operations",))
