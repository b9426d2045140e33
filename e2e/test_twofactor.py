"""Two-step sign-in in a real browser, on an installation that requires it of facilitators (the default):
the facilitator's first sign-in leads to enrolment (QR code and key), the recovery codes are shown once,
then each sign-in asks for the code after the password; a recovery code works once. Codes are computed
here with pyotp from the key the page shows, as an authenticator app computes them."""

import re
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from .conftest import visit
from .server import Server
from .test_partnership_flow import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def strict_server():
    with Server(workers=1, extra_env={"TWO_FACTOR_REQUIRED_FOR_FACILITATORS": "1"}) as server:
        yield server


@pytest.fixture
def strict_page(browser, strict_server):
    context = browser.new_context(
        base_url=strict_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def password_step(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page):
    page.get_by_role("button", name=re.compile("^Log out")).first.click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_facilitator_enrols_then_signs_in_with_a_code_and_with_a_recovery_code(strict_page):
    page = strict_page
    password_step(page, "facilitator")
    # Required and not yet enrolled: the enrolment page, whatever was asked for.
    page.wait_for_url(re.compile(r"/accounts/two-step/set-up/"))
    page.goto("/my-work/")
    page.wait_for_url(re.compile(r"/accounts/two-step/set-up/"))
    assert page.locator("figure.twofactor-qr svg").is_visible()
    visit(page, "twofactor-01-enrol")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/recovery-codes/"))
    visit(page, "twofactor-02-recovery-codes")
    codes = [c.strip() for c in page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()]
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a text file").click()
    assert codes[0] in Path(download.value.path()).read_text()
    page.get_by_role("link", name="I have kept them").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/$"))
    visit(page, "twofactor-03-overview")
    log_out(page)

    # The password, then the code step; the next code the app will show (the one used to enrol is spent).
    password_step(page, "facilitator")
    page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
    visit(page, "twofactor-04-code-step")
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/my-work/"))
    log_out(page)

    # A recovery code instead of the app, once.
    password_step(page, "facilitator")
    page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/my-work/"))
    assert page.get_by_text("You used a recovery code; 9 are left").is_visible()
    log_out(page)
    password_step(page, "facilitator")
    page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_code_error").get_by_text("That code is not right")).to_be_visible()
    page.goto("/my-work/")
    page.wait_for_url(re.compile(r"/accounts/two-step/code/"))


def test_a_member_needs_no_second_step_unless_they_set_one_up(strict_page):
    page = strict_page
    password_step(page, "member")
    page.wait_for_url(re.compile(r"/my-work/"))
    page.get_by_role("link", name="Two-step sign-in").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/$"))
    assert page.get_by_text("Two-step sign-in is off.").is_visible()
