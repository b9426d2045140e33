"""A newsletter in a browser: a co-chair composes it (pre-filled), writes an introduction, previews the mail
as a member would receive it, sends it, and the member's mail comes out of the task worker with the one-click
unsubscribe headers. axe finds nothing on the pages, the policy blocks nothing."""

import re
import time

import pytest

from commonground.demo.demo_data import SLUG

from .conftest import visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser


def mail_to(server, address: str, subject: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # Django's file backend writes each message followed by a line of 79 dashes.
        for message in server.all_mail().split("-" * 79):
            if f"To: {address}" in message and subject in message:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no newsletter mailed to {address} within {seconds} s")


def test_compose_preview_as_a_member_send_and_read_it_in_the_mail(new_page, app_server):
    page = new_page()
    log_in(page, "cochair.public")
    page.goto(f"/c/{SLUG}/newsletters/")
    visit(page, "newsletters-cochair")
    page.get_by_role("button", name="Compose a newsletter").click()
    page.get_by_text("A draft is ready").wait_for()
    visit(page, "newsletter-draft")
    page.get_by_role("link", name="Subject, introduction and audience").click()
    page.locator("#id_subject").fill("Browser news")
    page.locator("#id_intro").fill("Hello from the **browser** test.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Recipients, preview and send").click()
    visit(page, "newsletter-audience")
    # The member's row, on whichever page of the recipients it is.
    row = page.locator("tr", has_text="member@example.org")
    while row.count() == 0:
        page.get_by_role("link", name="Next").click()
        row = page.locator("tr", has_text="member@example.org")
    audience = page.url
    row.get_by_role("link", name=re.compile("Preview as this reader")).click()
    page.get_by_text("The e-mail as Tom Kowalski will receive it").wait_for()
    assert page.locator("article.newsletter strong", has_text="browser").count() == 1
    visit(page, "newsletter-preview")
    page.goto(audience)
    page.get_by_role("button", name=re.compile("Send to")).click()
    page.get_by_text("is going out to").wait_for()
    message = mail_to(app_server, "member@example.org", "Browser news")
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message
    # A long header is folded onto a second line: the link is what lies between the angle brackets.
    header = re.search(r"List-Unsubscribe:\s+<(https?://[^>]+/newsletters/unsubscribe/[^>]+/)>", message)
    assert header, message[:2000]
    link = re.sub(r"\s+", "", header.group(1))
    assert "Hello from the **browser** test." in message  # the plain-text part keeps the Markdown
    # The member reads it on the site too.
    member = new_page()
    log_in(member, "member")
    member.goto(f"/c/{SLUG}/newsletters/")
    member.get_by_role("link", name="Browser news").click()
    member.get_by_text("Hello from the").wait_for()
    visit(member, "newsletter-member")
    # The mail client's one click (RFC 8058) unsubscribes the member, with no sign-in.
    answer = new_page().request.post(link, form={"List-Unsubscribe": "One-Click"})
    assert answer.status == 200
