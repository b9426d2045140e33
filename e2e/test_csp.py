"""The Content-Security-Policy breaks nothing: a co-chair walks every page the other browser flows visit,
and the browser reports no violation of the policy."""

import re

import pytest

from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

PAGES = [
    "/", "/my-work/", "/communities/", "/c/riverbend/", "/c/riverbend/leadership/", "/c/riverbend/audit/",
    "/c/riverbend/organizations/", "/c/riverbend/people/", "/c/riverbend/coverage/",
    "/c/riverbend/invitations/", "/c/riverbend/invitations/tree/", "/c/riverbend/import/",
    "/c/riverbend/issues/", "/c/riverbend/agenda/", "/c/riverbend/resources/",
    "/c/riverbend/resources/contribution/", "/c/riverbend/agreements/", "/c/riverbend/hazards/",
    "/c/riverbend/risk-profile/", "/c/riverbend/risk-profile/print/", "/c/riverbend/assessments/",
    "/c/riverbend/critical-functions/", "/c/riverbend/needs/", "/c/riverbend/goals/", "/c/riverbend/plan/",
    "/c/riverbend/calendar/", "/c/riverbend/meetings/", "/c/riverbend/incidents/", "/c/riverbend/incidents/new/",
    "/c/riverbend/network/", "/c/riverbend/credentials/", "/c/riverbend/credentials/nominations/",
    "/c/riverbend/credentials/facilities/", "/c/riverbend/credentials/mine/", "/api/docs/",
]  # fmt: skip
# Not /api/redoc/, which no page links to: ReDoc shows its maker's logo from the maker's server,
# and img-src blocks that by design (the browser reports it as a violation).
# The records behind the lists: the first link of each kind on the pages above.
DETAILS = [
    r"^/issues/\d+/$", r"^/resources/\d+/$", r"^/agreements/\d+/$", r"^/c/riverbend/hazards/\d+/$",
    r"^/assessments/\d+/$", r"^/needs/\d+/$", r"^/tasks/\d+/$", r"^/meetings/\d+/$", r"^/organizations/\d+/$",
    r"^/incidents/\d+/$", r"^/incidents/\d+/requests/new/$", r"^/incidents/\d+/edit/$", r"^/incidents/\d+/log/$",
    r"^/requests/\d+/$", r"^/c/riverbend/credentials/nominations/\d+/$", r"^/c/riverbend/credentials/cards/\w+/$",
]  # fmt: skip
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || ""}:${event.lineNumber || ""}`);
});
"""


def test_no_page_a_cochair_visits_violates_the_content_security_policy(browser, app_server):
    # A context of its own: the other flows' context bypasses the policy to inject axe-core.
    context = browser.new_context(base_url=app_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.add_init_script(LISTEN)
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    violations = {}
    try:
        log_in(page, "cochair.public")
        to_visit, seen, links = list(PAGES), set(), set()
        while to_visit:
            path = to_visit.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(path)
            assert response is not None and response.status < 400, (path, response and response.status)
            page.wait_for_load_state("networkidle")
            found = page.evaluate("window.__cspViolations") + console
            console.clear()
            if found:
                violations[path] = found
            links.update(
                page.eval_on_selector_all("a[href]", "anchors => anchors.map(a => a.getAttribute('href'))")
            )
            for pattern in DETAILS:
                match = sorted(link for link in links if re.match(pattern, link))
                if match and match[0] not in seen and match[0] not in to_visit:
                    to_visit.append(match[0])
        assert len(seen) > len(PAGES) + 5, "the walk found too few records' pages"
    finally:
        context.close()
    assert violations == {}
