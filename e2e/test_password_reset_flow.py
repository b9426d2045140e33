"""A forgotten password, as a user lives it: "Forgot your password?" on the login page, the link read from the
mail the task worker sent, a new password set, and a sign-in with it; the link does not work twice."""

import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import visit
from .test_leaving_flow import new_member
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-new-and-long-passphrase-42"
LINK = re.compile(r"https?://\S+/accounts/password/reset/[^/\s]+/[^/\s]+/")


def reset_link(app_server, address: str, seconds: float = 30) -> str:
    """Wait for the worker to send the reset mail to `address`; return its link."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # Django's file backend writes each message followed by a line of 79 dashes.
        for mail in app_server.all_mail().split("-" * 79):
            if address in mail and (found := LINK.search(mail)):
                return found.group(0)
        time.sleep(0.3)
    raise AssertionError(f"no reset mail to {address} within {seconds} s:\n{app_server.all_mail()[-2000:]}")


def test_a_forgotten_password_is_reset_from_the_mailed_link(new_page, app_server):
    username, _person_id, _name = new_member(app_server)
    address = f"{username}@example.org"
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/$"))
    visit(page, "password-reset-01-ask")
    page.get_by_label("Email").fill(address)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/sent/"))

    link = reset_link(app_server, address)
    page.goto(link)
    page.wait_for_url(re.compile(r"/accounts/password/reset/.+/set-password/"))
    visit(page, "password-reset-02-choose")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/done/"))
    expect(page.get_by_text("Your new password is set.")).to_be_visible()

    log_in(page, username, NEW_PASSWORD)
    expect(page.locator("h1")).to_be_visible()
    # The link was used: followed again, it offers nothing to set.
    other = new_page()
    other.goto(link)
    expect(other.locator("h1")).to_have_text("This link no longer works")
    expect(other.locator("#id_new_password1")).to_have_count(0)
