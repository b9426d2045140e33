"""Leaving in real browsers: a member signed in in one browser is removed (or deactivated) from another; the
member's very next request is sent to the login page, and their API token answers 401."""

import json
import re
import urllib.error
import urllib.request
from itertools import count

import pytest

from .conftest import submit, visit
from .test_partnership_flow import PASSWORD, log_in
from .test_profile_flow import call_api

pytestmark = pytest.mark.browser
_unique = count(1)

NEW_MEMBER = """
from commonground.accounts.models import User
from commonground.registry.models import Organization, Person
user = User.objects.create_user({username!r}, {username!r} + "@example.org", {password!r})
organization = Organization.objects.get(name="Capital Grocers Cooperative")
person = Person.objects.create(organization=organization, user=user, first_name="Lee", last_name={last!r})
print(person.pk)
"""


def new_member(app_server) -> tuple[str, int, str]:
    """Make a login of the orgadmin's organization for this test alone; return its username, person and name."""
    n = next(_unique)
    username, last = f"leaver{n}", f"Leaver{n}"
    code = NEW_MEMBER.format(username=username, password=PASSWORD, last=last)
    person_id = int(app_server.command("shell", "-c", code).stdout.strip().splitlines()[-1])
    return username, person_id, f"Lee {last}"


def token_for(url: str, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        url + "/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["token"]


def assert_signed_out(page) -> None:
    page.goto("/my-work/")
    assert re.search(r"/accounts/login/\?next=", page.url), page.url
    assert page.request.get("/api/v1/communities/").status == 401  # the same browser's cookie, on the API


def test_a_member_removed_by_their_admin_is_signed_out_at_the_next_request(new_page, app_server):
    username, person_id, name = new_member(app_server)
    member = new_page()
    log_in(member, username)
    key = token_for(app_server.url, username)
    assert call_api(app_server.url, key) == 200
    assert member.request.get("/api/v1/communities/").status == 200

    admin = new_page()  # another browser context: another cookie jar
    log_in(admin, "orgadmin")
    admin.goto(f"/people/{person_id}/edit/")
    visit(admin, "person-remove")
    with admin.expect_navigation():
        admin.get_by_role("button", name=f"Remove {name}").click()
    assert admin.get_by_text(f"{name} is removed.").is_visible()

    assert_signed_out(member)
    assert call_api(app_server.url, key) == 401
    # The login stays, a former member's: it signs in again and finds no table of its own.
    log_in(member, username)
    assert member.goto("/c/riverbend/").status == 404


def test_a_login_deactivated_by_a_facilitator_is_signed_out_and_cannot_sign_in(new_page, app_server):
    username, person_id, _name = new_member(app_server)
    member = new_page()
    log_in(member, username)
    facilitator = new_page()
    log_in(facilitator, "facilitator")
    facilitator.goto(f"/people/{person_id}/edit/")
    with facilitator.expect_navigation():
        facilitator.get_by_role("button", name="Deactivate their login").click()
    assert facilitator.get_by_text("can no longer sign in").is_visible()
    visit(facilitator, "person-deactivated")

    assert_signed_out(member)
    member.locator("#id_username").fill(username)
    member.locator("#id_password").fill(PASSWORD)
    submit(member, member.get_by_role("button", name="Log in"))
    assert "/accounts/login/" in member.url
