"""Passkeys in a real browser, under the site's Content-Security-Policy, with Chromium's virtual authenticator
(DevTools' WebAuthn domain) in place of a phone or security key: add a passkey from the two-step page, name
it, sign out, sign in with the password and then the passkey.

WebAuthn refuses an IP address as the site's name, so this server is reached (and its SITE_URL set) as
http://localhost:<port>, the one plain-http origin browsers accept for passkeys."""

import re

import pytest

from .server import Server
from .test_partnership_flow import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def localhost_server():
    server = Server(workers=1)
    server.url = f"http://localhost:{server.port}"
    server.env["SITE_URL"] = server.url
    with server:
        yield server


@pytest.fixture
def page_with_authenticator(browser, localhost_server):
    context = browser.new_context(base_url=localhost_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.authenticator = (devtools, added["authenticatorId"])
    yield page
    context.close()


def test_a_user_adds_a_passkey_then_signs_in_with_the_password_and_the_passkey(page_with_authenticator):
    page = page_with_authenticator
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.goto("/accounts/login/")
    page.locator("#id_username").fill("facilitator")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/my-work/"))

    page.goto("/accounts/two-step/")
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/passkeys/\d+/name/\?new=1"))
    page.get_by_label("Name").fill("Virtual key")
    page.get_by_role("button", name="Save the name").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/$"))
    assert "Virtual key" in page.get_by_test_id("passkey-list").inner_text()
    devtools, authenticator = page.authenticator
    credentials = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost"

    page.get_by_role("button", name=re.compile("^Log out")).first.click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/accounts/login/")
    page.locator("#id_username").fill("facilitator")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
    page.goto("/my-work/")  # the rest of the site waits for the second step
    page.wait_for_url(re.compile(r"/accounts/two-step/code/"))
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(re.compile(r"/my-work/"))
    assert page.get_by_role("heading", level=1).count() >= 1

    # Removed, it is gone from the list (and the page says there is none).
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Two-step sign-in").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/$"))
    page.get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Remove the passkey").click()
    page.wait_for_url(re.compile(r"/accounts/two-step/$"))
    assert page.get_by_text("You have no passkey.").is_visible()
    assert not [text for text in problems if "Content Security Policy" in text], problems
