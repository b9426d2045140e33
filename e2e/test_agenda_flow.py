"""Step 3 as real users do it: a member proposes an issue, another organization endorses it, a co-chair adopts it."""

import re

import pytest

from .conftest import visit
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

TITLE = "Radio interoperability with hospital security"


def test_propose_endorse_from_another_organization_and_adopt(new_page, app_server):
    member = new_page()
    errors = []
    member.on("pageerror", lambda error: errors.append(str(error)))
    log_in(member, "member")
    member.goto("/c/riverbend/issues/")
    visit(member, "40-issues")
    member.get_by_role("link", name="Propose an issue").click()
    visit(member, "41-issue-form")
    member.locator("#id_title").fill(TITLE)
    member.locator("#id_description").fill("Vague.")
    member.locator("#id_mission_area").select_option("response")
    member.locator("#id_outcome").fill("Better.")
    member.get_by_role("button", name="Save").click()
    member.locator("#id_hazards_error").get_by_text(
        "Name the hazards it concerns"
    ).wait_for()  # refused by the server, saying what to add
    assert "at least 12 words" in member.locator("main").inner_text()
    visit(member, "41b-issue-form-errors")
    member.locator("#id_title").fill(TITLE)
    member.locator("#id_description").fill(
        "In a mass-casualty incident fire crews at the hospital cannot talk to hospital security, whose radios "
        "are on a private system, so ambulance bays and the helipad are cleared by runners."
    )
    member.get_by_label("Communications outage").check()
    member.locator("#id_mission_area").select_option("response")
    member.locator("#id_outcome").fill(
        "A shared talk group and cached radios so fire and hospital security talk directly."
    )
    member.locator("#id_severity").select_option("4")
    member.get_by_role("button", name="Save").click()
    member.wait_for_url(re.compile(r"/issues/\d+/$"))
    visit(member, "42-issue-detail")
    issue_url = member.url

    grocer = new_page()
    log_in(grocer, "orgadmin")
    grocer.goto(issue_url)
    grocer.locator(".endorse-form #id_severity").select_option("3")
    grocer.locator(".endorse-form #id_comment").fill("Our stores' security uses the same private system.")
    grocer.get_by_role("button", name="Endorse").click()
    grocer.get_by_text("endorses the issue").wait_for()
    facts = grocer.locator(".impact-facts").inner_text()
    assert "both sectors" in facts and "2 of" in facts

    cochair = new_page()
    log_in(cochair, "cochair.public")
    cochair.goto(issue_url)
    cochair.locator("#id_decision").select_option("adopt")
    cochair.get_by_role("button", name="Decide").click()
    cochair.get_by_text("The issue is now: Adopted onto the agenda.").wait_for()
    visit(cochair, "43-issue-adopted")
    cochair.goto("/c/riverbend/agenda/")
    assert TITLE in cochair.locator(".agenda-list").inner_text()
    visit(cochair, "44-agenda")
    assert not errors, errors
