"""My work as each role meets it after logging in, one of them on a phone (390 px): every list is there, each
says plainly when it is empty, each item leads to its page, and one table's member reaches its dashboard from
the communities list in one step."""

import re

import pytest

from .conftest import PHONE, visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

SECTIONS = [
    "My communities", "My tasks", "Votes open to my organization", "Assessments my organization has not answered",
    "My organization's resources to verify", "Invitations I sent", "Meetings in the next 30 days", "Open incidents",
]  # fmt: skip
ROLES = ["facilitator", "cochair.public", "cochair.private", "orgadmin", "member"]


def check_sections(page) -> None:
    """Each list is under its heading and holds items or one plain sentence saying it is empty."""
    for name in SECTIONS:
        section = page.locator(
            "section.mywork-section", has=page.get_by_role("heading", name=name, exact=True)
        )
        assert section.count() == 1, name
        assert section.locator("li").count() or section.locator("p").count(), f"{name} says nothing"


@pytest.mark.parametrize("username", ROLES)
def test_each_role_lands_on_my_work(new_page, app_server, username):
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, username)
    assert page.url.endswith("/my-work/")
    assert page.get_by_role("heading", name="My work", level=1).is_visible()
    check_sections(page)
    visit(page, f"mywork-{username}")
    if username == "facilitator":
        assert page.get_by_role("link", name="Every community", exact=True).is_visible()
    else:
        assert page.get_by_role("link", name="Riverbend Tri-County Region").is_visible()
    assert not errors, errors


def test_a_member_on_a_phone_opens_a_task_and_reaches_the_table(new_page, app_server):
    page = new_page(viewport=PHONE)
    log_in(page, "member")  # Riverbend Fire Department: it owns a task nobody in it has taken yet
    check_sections(page)
    visit(page, "mywork-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"My work scrolls sideways on a phone ({width}px)"
    tasks = page.locator("section.mywork-section", has=page.get_by_role("heading", name="My tasks"))
    link = tasks.locator("a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))
    assert title in page.locator("main").inner_text()

    page.goto("/my-work/")
    page.get_by_role("link", name="Riverbend Tri-County Region").click()
    page.wait_for_url(re.compile(r"/c/riverbend/$"))
    # Sitting at one table only, the member is taken from the communities list to its dashboard.
    page.goto("/communities/")
    page.wait_for_url(re.compile(r"/c/riverbend/$"))


def test_the_logo_leads_a_logged_in_user_home_to_my_work(new_page, app_server):
    page = new_page()
    log_in(page, "orgadmin")
    page.goto("/c/riverbend/resources/")
    page.get_by_role("link", name="Common Ground", exact=True).click()
    page.wait_for_url(re.compile(r"/my-work/$"))
