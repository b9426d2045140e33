"""The permission matrix's rows for issues and votes, and their part of the world.

The world's issue is the private organization's; the other issue is the public organization's, for the
private organization to endorse; the vote is open on two adopted issues.
"""

from commonground.agenda import services
from commonground.core.testing import (
    API_LIST,
    API_READ,
    DECIDERS,
    PAGE_DECIDERS,
    PAGE_LEADERS,
    PAGE_POST,
    PAGE_READ,
    expect,
)

ISSUE = {
    "title": "Generator fuel when the interstate closes",
    "description": "In a winter storm fuel deliveries stop and hospitals, the water plant and grocers run short.",
    "mission_area": "response",
    "outcome": "A shared fuel priority list in place before winter.",
    "situation": "Interstate closed by snow",
}
ISSUE_EDITORS = expect(
    403, visitor=401, outsider=404, member=200, admin_own=200, cochair=200, facilitator=200
)
# The ballot is the private organization's own: its admin casts it, never a co-chair or facilitator for it.
BALLOT_CASTERS = expect(403, visitor=401, outsider=404, admin_own=200)
SPEAKERS = expect(403, visitor=401, outsider=404, member=201, admin_own=201, cochair=201, facilitator=201)


def open_vote(table):
    adopted = []
    for n in range(2):
        issue = services.issue_propose(
            actor=None,
            community=table.community,
            organization=table.public_org,
            **{**ISSUE, "title": f"Adopted {n}"},
        )
        adopted.append(services.issue_decide(actor=None, issue=issue, decision="adopt"))
    return services.vote_open(
        actor=None, community=table.community, title="Order", kind="dot", issues=adopted
    )


def build(world) -> None:
    table = world.table
    world.add(
        issue=services.issue_propose(
            actor=None, community=table.community, organization=table.private_org, severity=3, **ISSUE
        ),
        other_issue=services.issue_propose(
            actor=None, community=table.community, organization=table.public_org, severity=2, **ISSUE
        ),
        vote=open_vote(table),
    )


def issue_payload(world):
    return {"community": "riverbend", "organization": world.table.private_org.pk, "severity": 3, **ISSUE}


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/issues/"): (lambda w: ("/api/v1/issues/?community=riverbend&status=proposed", None), API_LIST),
    ("POST", "/api/v1/issues/"): (lambda w: ("/api/v1/issues/", issue_payload(w)), expect(403, visitor=401, outsider=400, member=201, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/issues/{id}/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/", None), API_READ),
    ("PATCH", "/api/v1/issues/{id}/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/", {"situation": "Ice storm"}), ISSUE_EDITORS),
    ("PUT", "/api/v1/issues/{id}/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/", issue_payload(w)), ISSUE_EDITORS),
    ("POST", "/api/v1/issues/{id}/endorse/"): (lambda w: (f"/api/v1/issues/{w.other_issue.pk}/endorse/", {"organization": w.table.private_org.pk, "severity": 4}), SPEAKERS),
    ("POST", "/api/v1/issues/{id}/withdraw/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/withdraw/", {"organization": w.table.private_org.pk}), expect(403, visitor=401, outsider=404, member=204, admin_own=204, cochair=204, facilitator=204)),
    ("GET", "/api/v1/issues/{id}/endorsements/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/endorsements/", None), API_READ),
    ("GET", "/api/v1/issues/{id}/comments/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/comments/", None), API_READ),
    ("POST", "/api/v1/issues/{id}/comments/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/comments/", {"body": "Agreed"}), expect(201, visitor=401, outsider=404)),
    ("POST", "/api/v1/issues/{id}/decide/"): (lambda w: (f"/api/v1/issues/{w.issue.pk}/decide/", {"decision": "adopt"}), DECIDERS),
    ("POST", "/api/v1/issues/{id}/merge/"): (lambda w: (f"/api/v1/issues/{w.other_issue.pk}/merge/", {"into": w.issue.pk}), DECIDERS),
    ("GET", "/api/v1/issue-votes/"): (lambda w: ("/api/v1/issue-votes/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/issue-votes/"): (lambda w: ("/api/v1/issue-votes/", {"community": "riverbend", "title": "Again", "kind": "ranked", "issues": [i.pk for i in w.vote.issues.all()]}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/issue-votes/{id}/"): (lambda w: (f"/api/v1/issue-votes/{w.vote.pk}/", None), API_READ),
    ("POST", "/api/v1/issue-votes/{id}/ballot/"): (lambda w: (f"/api/v1/issue-votes/{w.vote.pk}/ballot/", {"organization": w.table.private_org.pk, "choices": {str(w.vote.issues.first().pk): 2}}), BALLOT_CASTERS),
    ("POST", "/api/v1/issue-votes/{id}/close/"): (lambda w: (f"/api/v1/issue-votes/{w.vote.pk}/close/", None), DECIDERS),
}  # fmt: skip

# URL name: (path, or path and form, for a world; method; expected status by role)
PAGES = {
    "agenda:issues": (lambda w: "/c/riverbend/issues/?mission_area=response", "GET", PAGE_READ),
    "agenda:issue_create": (lambda w: "/c/riverbend/issues/new/", "GET", PAGE_READ),
    "agenda:agenda": (lambda w: "/c/riverbend/agenda/", "GET", PAGE_READ),
    "agenda:vote_create": (lambda w: "/c/riverbend/votes/new/", "GET", PAGE_LEADERS),
    "agenda:issue_detail": (lambda w: f"/issues/{w.issue.pk}/", "GET", PAGE_READ),
    "agenda:issue_edit": (lambda w: f"/issues/{w.issue.pk}/edit/", "GET", expect(200, visitor=302, outsider=404, admin_other=403)),
    "agenda:issue_endorse": (lambda w: f"/issues/{w.other_issue.pk}/endorse/", "POST", PAGE_POST),
    "agenda:issue_withdraw": (lambda w: f"/issues/{w.issue.pk}/withdraw/", "POST", expect(302, outsider=404, admin_other=404, cochair=404, facilitator=404)),
    "agenda:issue_comment": (lambda w: (f"/issues/{w.issue.pk}/comment/", {"body": "Agreed"}), "POST", PAGE_POST),
    "agenda:issue_decide": (lambda w: (f"/issues/{w.issue.pk}/decide/", {"decision": "adopt"}), "POST", PAGE_DECIDERS),
    "agenda:issue_merge": (lambda w: (f"/issues/{w.other_issue.pk}/merge/", {"into": w.issue.pk}), "POST", PAGE_DECIDERS),
    "agenda:vote_detail": (lambda w: f"/votes/{w.vote.pk}/", "GET", PAGE_READ),
    "agenda:vote_close": (lambda w: f"/votes/{w.vote.pk}/close/", "POST", PAGE_DECIDERS),
}  # fmt: skip
