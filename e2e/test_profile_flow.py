"""The profile in a real browser: a language chosen there outlives signing out and in again; a token made
there calls the API until it is revoked there."""

import re
import urllib.error
import urllib.request

import pytest

from .conftest import visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def call_api(url: str, key: str) -> int:
    request = urllib.request.Request(url + "/api/v1/communities/", headers={"Authorization": f"Token {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def save_profile(page) -> None:
    with page.expect_navigation():
        page.locator("form.usa-form button[type=submit]").click()


def test_a_language_chosen_on_the_profile_holds_after_signing_in_again(new_page):
    page = new_page()
    log_in(page, "facilitator")
    try:
        page.goto("/accounts/profile/")
        visit(page, "profile")
        page.locator("#id_language").select_option("es")
        save_profile(page)
        assert html_lang(page) == "es"
        with page.expect_navigation():
            page.locator("form.nav-logout button").click()
        page.goto("/accounts/login/")
        assert html_lang(page) == "en"  # signed out, the browser's language (no cookie was set)
        page.locator("#id_username").fill("facilitator")
        page.locator("#id_password").fill("commonground-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/my-work/"))
        assert html_lang(page) == "es"
        visit(page, "my-work-in-spanish")
    finally:
        page.goto("/accounts/profile/")
        page.locator("#id_language").select_option("")
        save_profile(page)
    assert html_lang(page) == "en"


def test_a_token_made_on_the_profile_calls_the_api_until_it_is_revoked(new_page, app_server):
    page = new_page()
    log_in(page, "facilitator")
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Make a new token").click()
    visit(page, "token-create")
    page.locator("#id_name").fill("Browser test")
    page.locator("#id_days").fill("7")
    page.get_by_role("button", name="Make the token").click()
    key_field = page.locator("[data-token-key]")
    key_field.wait_for()
    visit(page, "token-created")
    key = key_field.input_value()
    assert key.startswith("cg_")
    assert call_api(app_server.url, key) == 200
    page.goto("/accounts/profile/")
    row = page.locator("tr", has_text="Browser test")
    with page.expect_navigation():
        row.get_by_role("button", name="Revoke Browser test").click()
    assert page.get_by_text("revoked", exact=True).first.is_visible()
    assert key not in page.content()
    assert call_api(app_server.url, key) == 401
