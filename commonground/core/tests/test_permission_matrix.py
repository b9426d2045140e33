"""The permission matrix: every API operation and every page x every role, and every TLP marking.

The expected outcomes follow DESIGN.md. An operation or a page that has no row here fails
`test_every_operation_and_page_has_a_row`, so nothing new ships without its permissions stated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import count

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from commonground.agenda import services as agenda_services
from commonground.communities.models import CoChair, Membership
from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.registry import services
from commonground.registry.models import Invitation
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory
from commonground.registry.tokens import make_token
from commonground.resources import services as resource_services
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks import services as hazard_services
from commonground.risks.models import Hazard
from commonground.sustainability import services as needs_services
from commonground.sustainability.calendar import feed_token

ROLES = ["visitor", "member", "admin_own", "admin_other", "cochair", "facilitator", "outsider"]
USER_OF_ROLE = {"member": "member", "admin_own": "admin", "admin_other": "other_admin", "cochair": "cochair", "facilitator": "facilitator", "outsider": "outsider"}  # fmt: skip
unique = count()


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, default) for role in ROLES}


API_LIST = expect(200, visitor=401)
API_READ = expect(200, visitor=401, outsider=404)
PAGE_READ = expect(200, visitor=302, outsider=404)
PAGE_LEADERS = expect(403, visitor=302, outsider=404, cochair=200, facilitator=200)
PAGE_ORG_EDITORS = expect(403, visitor=302, outsider=404, admin_own=200, cochair=200, facilitator=200)


@dataclass
class World:
    """The records the matrix acts on; `subject` is a person of the owning (private) organization."""

    table: object
    subject: object
    invitation: object
    membership: object
    cochair: object
    audit_entry: object
    orphan: object
    resource: object
    agreement: object
    hazard: object
    function: object
    assessment: object
    issue: object
    other_issue: object
    vote: object
    needs: object
    goal: object
    task: object
    meeting: object
    observation: object


ISSUE = {
    "title": "Generator fuel when the interstate closes",
    "description": "In a winter storm fuel deliveries stop and hospitals, the water plant and grocers run short.",
    "mission_area": "response",
    "outcome": "A shared fuel priority list in place before winter.",
    "situation": "Interstate closed by snow",
}


def open_vote(table):
    adopted = []
    for n in range(2):
        issue = agenda_services.issue_propose(
            actor=None,
            community=table.community,
            organization=table.public_org,
            **{**ISSUE, "title": f"Adopted {n}"},
        )
        adopted.append(agenda_services.issue_decide(actor=None, issue=issue, decision="adopt"))
    return agenda_services.vote_open(
        actor=None, community=table.community, title="Order", kind="dot", issues=adopted
    )


@pytest.fixture
def world(table) -> World:
    services.organization_update(actor=table.admin, organization=table.private_org, data={"employees": 2001})
    return World(
        table=table,
        subject=PersonFactory(
            organization=table.private_org, email="subject@example.org", contact_tlp=TLP.GREEN
        ),
        invitation=services.invitation_send(
            actor=table.cochair,
            community=table.community,
            email="inv@example.org",
            name="Inv",
            organization_name="Inv Co",
        ),
        membership=Membership.objects.get(community=table.community, organization=table.private_org),
        cochair=CoChair.objects.get(community=table.community),
        audit_entry=AuditEntry.objects.get(action="update", organization_id=table.private_org.pk),
        orphan=OrganizationFactory(name="Orphan Org"),
        resource=ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.GREEN),
        agreement=resource_services.agreement_create(
            actor=None,
            community=table.community,
            organization=table.private_org,
            parties=[table.private_org, table.public_org],
            title="Mutual aid",
            starts_on=datetime.date(2026, 1, 1),
            document=SimpleUploadedFile("mou.pdf", b"%PDF-1.7 test"),
            tlp=TLP.AMBER,
        ),
        hazard=hazard_services.hazard_create(
            actor=None, community=table.community, name="Grain elevator explosion", kind="technological"
        ),
        function=hazard_services.function_create(
            actor=None, community=table.community, organization=table.private_org, name="Cold chain"
        ),
        assessment=hazard_services.hazard_assessment_create(
            actor=None, community=table.community, organization=table.private_org,
            hazard=Hazard.objects.get(community=None, code="tornado"), **SCORES,
        ),
        issue=agenda_services.issue_propose(
            actor=None, community=table.community, organization=table.private_org, severity=3, **ISSUE,
        ),
        other_issue=agenda_services.issue_propose(
            actor=None, community=table.community, organization=table.public_org, severity=2, **ISSUE,
        ),
        vote=open_vote(table),
        needs=needs_services.needs_assessment_open(
            actor=None, community=table.community, title="Needs", closes_on=datetime.date(2099, 1, 1)
        ),
        goal=(goal := needs_services.goal_create(
            actor=None, community=table.community, statement="Plans", measure="30 plans",
            target_date=datetime.date(2099, 1, 1),
        )),
        task=needs_services.task_create(
            actor=None, goal=goal, title="Review plans", owner_organization=table.private_org,
            due_on=datetime.date(2099, 1, 1),
        ),
        meeting=(meeting := needs_services.meeting_create(
            actor=None, community=table.community, kind="tabletop", title="Flood tabletop",
            starts_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), scenario="The river crests",
        )),
        observation=needs_services.observation_create(
            actor=None, meeting=meeting, kind="improvement", capability="Planning", text="No shared map",
        ),
    )  # fmt: skip


def import_job(world: World) -> int:
    from commonground.core.models import ImportJob

    return ImportJob.objects.create(
        actor=world.table.cochair, community_id=world.table.community.pk, kind="organizations", file="x.csv"
    ).pk


def fresh_token(world: World) -> str:
    invitation = services.invitation_send(
        actor=world.table.cochair,
        community=world.table.community,
        email=f"n{next(unique)}@example.org",
        name="New",
        organization_name=f"New Org {next(unique)}",
    )
    return make_token(invitation)


def organization_payload(world):
    return {
        "name": f"Org {next(unique)}",
        "sector": "private",
        "category": "utility",
        "community": "riverbend",
    }


def person_payload(world):
    return {
        "organization": world.table.private_org.pk,
        "first_name": "A",
        "last_name": f"B{next(unique)}",
        "email": f"p{next(unique)}@example.org",
    }


def resource_payload(world):
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "name": f"Generator {next(unique)}",
        "kind": "equipment",
        "category": "esf12",
    }


def agreement_payload(world):
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "parties": [world.table.private_org.pk, world.table.public_org.pk],
        "title": f"MOU {next(unique)}",
        "starts_on": "2026-01-01",
    }


SCORES = dict(likelihood=3, impact_life_safety=2, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip


def function_payload(world):
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "name": f"Function {next(unique)}",
    }


def assessment_payload(world):
    hazard = hazard_services.hazard_create(
        actor=None, community=world.table.community, name=f"Hazard {next(unique)}", kind="natural"
    )
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "hazard": hazard.pk,
        **SCORES,
    }


# An AMBER record of the private organization: its people, the co-chairs and facilitators see it.
API_AMBER = expect(200, visitor=401, outsider=404, admin_other=404)
AMBER_EDITORS = expect(
    403, visitor=401, outsider=404, admin_other=404, admin_own=200, cochair=200, facilitator=200
)
AMBER_DELETERS = expect(
    403, visitor=401, outsider=404, admin_other=404, admin_own=204, cochair=204, facilitator=204
)
PAGE_AMBER = expect(200, visitor=302, outsider=404, admin_other=404)
PAGE_AMBER_EDITORS = expect(
    403, visitor=302, outsider=404, admin_other=404, admin_own=200, cochair=200, facilitator=200
)
POST_AMBER_EDITORS = expect(
    403, visitor=302, outsider=404, admin_other=404, admin_own=302, cochair=302, facilitator=302
)
ORG_CREATORS = expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)


def issue_payload(world):
    return {"community": "riverbend", "organization": world.table.private_org.pk, "severity": 3, **ISSUE}


ISSUE_EDITORS = expect(
    403, visitor=401, outsider=404, member=200, admin_own=200, cochair=200, facilitator=200
)
SPEAKERS = expect(403, visitor=401, outsider=404, member=201, admin_own=201, cochair=201, facilitator=201)
DECIDERS = expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)
PAGE_POST = expect(302, outsider=404)
PAGE_DECIDERS = expect(403, visitor=302, outsider=404, cochair=302, facilitator=302)

RESOURCE_EDITORS = expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)
PAGE_RECORDERS = expect(200, visitor=302, outsider=404, member=403)
POST_EDITORS = expect(403, visitor=302, outsider=404, admin_own=302, cochair=302, facilitator=302)


def community_payload(world):
    n = next(unique)
    return {
        "name": f"C {n}",
        "slug": f"c-{n}",
        "kind": "city",
        "state": "MI",
        "center_latitude": 42.0,
        "center_longitude": -84.0,
    }


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/communities/"): (lambda w: ("/api/v1/communities/", None), API_LIST),
    ("POST", "/api/v1/communities/"): (lambda w: ("/api/v1/communities/", community_payload(w)), expect(403, visitor=401, facilitator=201)),
    ("GET", "/api/v1/communities/{slug}/"): (lambda w: ("/api/v1/communities/riverbend/", None), API_READ),
    ("PATCH", "/api/v1/communities/{slug}/"): (lambda w: ("/api/v1/communities/riverbend/", {"description": "x"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("PUT", "/api/v1/communities/{slug}/"): (lambda w: ("/api/v1/communities/riverbend/", {**community_payload(w), "slug": "riverbend"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("GET", "/api/v1/communities/{slug}/coverage/"): (lambda w: ("/api/v1/communities/riverbend/coverage/", None), API_READ),
    ("GET", "/api/v1/communities/{slug}/progress/"): (lambda w: ("/api/v1/communities/riverbend/progress/", None), API_READ),
    ("GET", "/api/v1/organizations/"): (lambda w: ("/api/v1/organizations/", None), API_LIST),
    ("POST", "/api/v1/organizations/"): (lambda w: ("/api/v1/organizations/", organization_payload(w)), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/organizations/{id}/"): (lambda w: (f"/api/v1/organizations/{w.table.private_org.pk}/", None), API_READ),
    ("PATCH", "/api/v1/organizations/{id}/"): (lambda w: (f"/api/v1/organizations/{w.table.private_org.pk}/", {"employees": 7}), expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)),
    ("PUT", "/api/v1/organizations/{id}/"): (lambda w: (f"/api/v1/organizations/{w.table.private_org.pk}/", {"name": "Great Lakes Logistics", "sector": "private", "category": "large_employer"}), expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)),
    ("DELETE", "/api/v1/organizations/{id}/"): (lambda w: (f"/api/v1/organizations/{w.table.private_org.pk}/", None), expect(403, visitor=401, outsider=404, facilitator=204)),
    ("GET", "/api/v1/people/"): (lambda w: ("/api/v1/people/", None), API_LIST),
    ("POST", "/api/v1/people/"): (lambda w: ("/api/v1/people/", person_payload(w)), expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/people/{id}/"): (lambda w: (f"/api/v1/people/{w.subject.pk}/", None), API_READ),
    ("PATCH", "/api/v1/people/{id}/"): (lambda w: (f"/api/v1/people/{w.subject.pk}/", {"title": "Chief"}), expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)),
    ("PUT", "/api/v1/people/{id}/"): (lambda w: (f"/api/v1/people/{w.subject.pk}/", {"organization": w.table.private_org.pk, "first_name": "S", "last_name": "T"}), expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)),
    ("DELETE", "/api/v1/people/{id}/"): (lambda w: (f"/api/v1/people/{w.subject.pk}/", None), expect(403, visitor=401, outsider=404, admin_own=204, cochair=204, facilitator=204)),
    ("GET", "/api/v1/memberships/"): (lambda w: ("/api/v1/memberships/", None), API_LIST),
    ("POST", "/api/v1/memberships/"): (lambda w: ("/api/v1/memberships/", {"community": "riverbend", "organization": w.orphan.pk}), expect(400, visitor=401, facilitator=201)),
    ("GET", "/api/v1/memberships/{id}/"): (lambda w: (f"/api/v1/memberships/{w.membership.pk}/", None), API_READ),
    ("DELETE", "/api/v1/memberships/{id}/"): (lambda w: (f"/api/v1/memberships/{w.membership.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("GET", "/api/v1/cochairs/"): (lambda w: ("/api/v1/cochairs/", None), API_LIST),
    ("POST", "/api/v1/cochairs/"): (lambda w: ("/api/v1/cochairs/", {"community": "riverbend", "person": w.table.admin.person.pk}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/cochairs/{id}/"): (lambda w: (f"/api/v1/cochairs/{w.cochair.pk}/", None), API_READ),
    ("DELETE", "/api/v1/cochairs/{id}/"): (lambda w: (f"/api/v1/cochairs/{w.cochair.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("GET", "/api/v1/invitations/"): (lambda w: ("/api/v1/invitations/", None), API_LIST),
    ("POST", "/api/v1/invitations/"): (lambda w: ("/api/v1/invitations/", {"community": "riverbend", "email": f"x{next(unique)}@example.org", "name": "X", "organization_name": "X Co"}), expect(201, visitor=401, outsider=400)),
    ("GET", "/api/v1/invitations/{id}/"): (lambda w: (f"/api/v1/invitations/{w.invitation.pk}/", None), expect(404, visitor=401, cochair=200, facilitator=200)),
    ("POST", "/api/v1/invitations/{id}/revoke/"): (lambda w: (f"/api/v1/invitations/{w.invitation.pk}/revoke/", None), expect(404, visitor=401, cochair=200, facilitator=200)),
    ("POST", "/api/v1/invitations/accept/"): (lambda w: ("/api/v1/invitations/accept/", {"token": fresh_token(w), "username": f"u{next(unique)}", "password": "a-long-test-password", "first_name": "N", "last_name": "O", "organization": {"sector": "private", "category": "utility"}}), expect(201)),
    ("POST", "/api/v1/auth/token/"): (None, expect(200, visitor=400)),
    ("GET", "/api/v1/resources/"): (lambda w: ("/api/v1/resources/?near=42.7,-84.5&radius_km=50", None), API_LIST),
    ("POST", "/api/v1/resources/"): (lambda w: ("/api/v1/resources/", resource_payload(w)), expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", None), API_READ),
    ("PATCH", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", {"quantity": 3}), RESOURCE_EDITORS),
    ("PUT", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", {**resource_payload(w), "name": "Renamed"}), RESOURCE_EDITORS),
    ("DELETE", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", None), expect(403, visitor=401, outsider=404, admin_own=204, cochair=204, facilitator=204)),
    ("POST", "/api/v1/resources/{id}/verify/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/verify/", None), RESOURCE_EDITORS),
    ("GET", "/api/v1/resource-categories/"): (lambda w: ("/api/v1/resource-categories/", None), API_LIST),
    ("GET", "/api/v1/agreements/"): (lambda w: ("/api/v1/agreements/", None), API_LIST),
    ("POST", "/api/v1/agreements/"): (lambda w: ("/api/v1/agreements/", agreement_payload(w)), expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", None), API_READ),
    ("PATCH", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", {"terms": "Fuel at cost"}), RESOURCE_EDITORS),
    ("PUT", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", agreement_payload(w)), RESOURCE_EDITORS),
    ("DELETE", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", None), expect(403, visitor=401, outsider=404, admin_own=204, cochair=204, facilitator=204)),
    ("GET", "/api/v1/hazards/"): (lambda w: ("/api/v1/hazards/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/hazards/"): (lambda w: ("/api/v1/hazards/", {"community": "riverbend", "name": f"Hazard {next(unique)}", "kind": "natural"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", None), API_READ),
    ("PATCH", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", {"description": "Dust"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("PUT", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", {"name": "Silo explosion", "kind": "technological"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("DELETE", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("GET", "/api/v1/critical-functions/"): (lambda w: ("/api/v1/critical-functions/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/critical-functions/"): (lambda w: ("/api/v1/critical-functions/", function_payload(w)), ORG_CREATORS),
    ("GET", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", None), API_AMBER),
    ("PATCH", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", {"max_downtime_hours": 8}), AMBER_EDITORS),
    ("PUT", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", {**function_payload(w), "name": "Cold chain"}), AMBER_EDITORS),
    ("DELETE", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", None), AMBER_DELETERS),
    ("GET", "/api/v1/assessments/"): (lambda w: ("/api/v1/assessments/?community=riverbend&sector=private", None), API_LIST),
    ("POST", "/api/v1/assessments/"): (lambda w: ("/api/v1/assessments/", assessment_payload(w)), ORG_CREATORS),
    ("GET", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", None), API_AMBER),
    ("PATCH", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", {"likelihood": 5}), AMBER_EDITORS),
    ("PUT", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", {**assessment_payload(w), "hazard": w.assessment.hazard_id}), AMBER_EDITORS),
    ("DELETE", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", None), AMBER_DELETERS),
    ("GET", "/api/v1/communities/{slug}/risk-profile/"): (lambda w: ("/api/v1/communities/riverbend/risk-profile/", None), API_READ),
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
    ("POST", "/api/v1/issue-votes/{id}/ballot/"): (lambda w: (f"/api/v1/issue-votes/{w.vote.pk}/ballot/", {"organization": w.table.private_org.pk, "choices": {str(w.vote.issues.first().pk): 2}}), expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)),
    ("POST", "/api/v1/issue-votes/{id}/close/"): (lambda w: (f"/api/v1/issue-votes/{w.vote.pk}/close/", None), DECIDERS),
    ("GET", "/api/v1/needs-assessments/"): (lambda w: ("/api/v1/needs-assessments/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/needs-assessments/"): (lambda w: ("/api/v1/needs-assessments/", {"community": "riverbend", "title": "N", "closes_on": "2099-01-01"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/needs-assessments/{id}/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/", None), API_READ),
    ("PATCH", "/api/v1/needs-assessments/{id}/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/", {"title": "Needs 2027"}), DECIDERS),
    ("PUT", "/api/v1/needs-assessments/{id}/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/", {"community": "riverbend", "title": "Needs", "opens_on": "2026-01-01", "closes_on": "2099-01-01"}), DECIDERS),
    ("GET", "/api/v1/needs-assessments/{id}/answers/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/answers/", None), API_READ),
    ("POST", "/api/v1/needs-assessments/{id}/answers/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/answers/", {"organization": w.table.private_org.pk, "answers": [{"item": w.needs.items.first().pk, "level": 2, "importance": 4}]}), expect(403, visitor=401, outsider=404, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/needs-assessments/{id}/profile/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/profile/", None), API_READ),
    ("POST", "/api/v1/needs-assessments/{id}/rank/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/rank/", {"item": w.needs.items.first().pk, "rank": 1, "reason": "The table agreed"}), DECIDERS),
    ("GET", "/api/v1/goals/"): (lambda w: ("/api/v1/goals/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/goals/"): (lambda w: ("/api/v1/goals/", {"community": "riverbend", "statement": "G", "measure": "M", "target_date": "2099-01-01"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/goals/{id}/"): (lambda w: (f"/api/v1/goals/{w.goal.pk}/", None), API_READ),
    ("PATCH", "/api/v1/goals/{id}/"): (lambda w: (f"/api/v1/goals/{w.goal.pk}/", {"measure": "40 plans"}), DECIDERS),
    ("PUT", "/api/v1/goals/{id}/"): (lambda w: (f"/api/v1/goals/{w.goal.pk}/", {"community": "riverbend", "statement": "G", "measure": "M", "target_date": "2099-01-01"}), DECIDERS),
    ("GET", "/api/v1/tasks/"): (lambda w: ("/api/v1/tasks/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/tasks/"): (lambda w: ("/api/v1/tasks/", {"goal": w.goal.pk, "title": "T", "owner_organization": w.table.private_org.pk, "due_on": "2099-01-01"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/tasks/{id}/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/", None), API_READ),
    ("PATCH", "/api/v1/tasks/{id}/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/", {"due_on": "2099-02-01"}), DECIDERS),
    ("PUT", "/api/v1/tasks/{id}/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/", {"goal": w.goal.pk, "title": "T", "owner_organization": w.table.private_org.pk, "due_on": "2099-01-01"}), DECIDERS),
    ("POST", "/api/v1/tasks/{id}/progress/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/progress/", {"status": "in_progress", "note": "Started"}), expect(200, visitor=401, outsider=404, admin_other=403)),
    ("GET", "/api/v1/meetings/"): (lambda w: ("/api/v1/meetings/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/meetings/"): (lambda w: ("/api/v1/meetings/", {"community": "riverbend", "kind": "meeting", "title": "M", "starts_at": "2099-01-01T10:00:00Z"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", None), API_READ),
    ("PATCH", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", {"location": "EOC"}), DECIDERS),
    ("PUT", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", {"community": "riverbend", "kind": "tabletop", "title": "T", "starts_at": "2026-03-01T09:00:00Z"}), DECIDERS),
    ("DELETE", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("POST", "/api/v1/meetings/{id}/attendance/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/attendance/", {"attendance": [{"organization": w.table.private_org.pk, "people": 2}]}), DECIDERS),
    ("POST", "/api/v1/meetings/{id}/objectives/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/objectives/", {"text": "Warn", "capability": "Planning"}), expect(403, visitor=401, outsider=404, cochair=201, facilitator=201)),
    ("POST", "/api/v1/meetings/{id}/observations/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/observations/", {"kind": "strength", "capability": "Planning", "text": "Fast"}), expect(403, visitor=401, outsider=404, cochair=201, facilitator=201)),
    ("POST", "/api/v1/meetings/{id}/corrective-actions/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/corrective-actions/", {"observation": w.observation.pk, "title": "Map", "owner_organization": w.table.private_org.pk, "due_on": "2099-01-01"}), expect(403, visitor=401, outsider=404, cochair=201, facilitator=201)),
    ("GET", "/api/v1/audit/"): (lambda w: ("/api/v1/audit/", None), API_LIST),
    ("GET", "/api/v1/audit/{id}/"): (lambda w: (f"/api/v1/audit/{w.audit_entry.pk}/", None), expect(404, visitor=401, admin_own=200, cochair=200, facilitator=200)),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "landing": (lambda w: "/", "GET", expect(200)),
    "health": (lambda w: "/healthz", "GET", expect(200)),
    "login": (lambda w: "/accounts/login/", "GET", expect(200)),
    "logout": (lambda w: "/accounts/logout/", "POST", expect(302)),
    "schema": (lambda w: "/api/schema/", "GET", expect(200)),
    "api-docs": (lambda w: "/api/docs/", "GET", expect(200)),
    "api-redoc": (lambda w: "/api/redoc/", "GET", expect(200)),
    "communities:list": (lambda w: "/communities/", "GET", expect(200, visitor=302)),
    "communities:create": (lambda w: "/communities/new/", "GET", expect(403, visitor=302, facilitator=200)),
    "communities:dashboard": (lambda w: "/c/riverbend/", "GET", PAGE_READ),
    "communities:edit": (lambda w: "/c/riverbend/edit/", "GET", PAGE_LEADERS),
    "communities:leadership": (lambda w: "/c/riverbend/leadership/", "GET", PAGE_READ),
    "communities:audit": (lambda w: "/c/riverbend/audit/", "GET", PAGE_LEADERS),
    "registry:organizations": (lambda w: "/c/riverbend/organizations/", "GET", PAGE_READ),
    "registry:organization_create": (lambda w: "/c/riverbend/organizations/new/", "GET", PAGE_LEADERS),
    "registry:people": (lambda w: "/c/riverbend/people/", "GET", PAGE_READ),
    "registry:invitations": (lambda w: "/c/riverbend/invitations/", "GET", PAGE_READ),
    "registry:invitation_tree": (lambda w: "/c/riverbend/invitations/tree/", "GET", PAGE_READ),
    "registry:coverage": (lambda w: "/c/riverbend/coverage/", "GET", PAGE_READ),
    "exchange:import": (lambda w: "/c/riverbend/import/", "GET", PAGE_LEADERS),
    "exchange:import-job": (lambda w: f"/c/riverbend/import/{import_job(w)}/", "GET", PAGE_LEADERS),
    "exchange:export": (lambda w: "/c/riverbend/export/people.csv", "GET", PAGE_READ),
    "registry:organization_detail": (lambda w: f"/organizations/{w.table.private_org.pk}/", "GET", PAGE_READ),
    "registry:organization_edit": (lambda w: f"/organizations/{w.table.private_org.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "registry:person_create": (lambda w: f"/organizations/{w.table.private_org.pk}/people/new/", "GET", PAGE_ORG_EDITORS),
    "registry:person_edit": (lambda w: f"/people/{w.subject.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "registry:person_delete": (lambda w: f"/people/{w.subject.pk}/delete/", "POST", expect(403, visitor=302, outsider=404, admin_own=302, cochair=302, facilitator=302)),
    "registry:membership_remove": (lambda w: f"/memberships/{w.membership.pk}/remove/", "POST", expect(403, visitor=302, outsider=404, cochair=302, facilitator=302)),
    "registry:invitation_accept": (lambda w: f"/invite/{fresh_token(w)}/", "GET", expect(200)),
    "risks:hazards": (lambda w: "/c/riverbend/hazards/?kind=technological", "GET", PAGE_READ),
    "risks:hazard_create": (lambda w: "/c/riverbend/hazards/new/", "GET", PAGE_LEADERS),
    "risks:hazard_detail": (lambda w: f"/c/riverbend/hazards/{w.assessment.hazard_id}/", "GET", PAGE_READ),
    "risks:profile": (lambda w: "/c/riverbend/risk-profile/", "GET", PAGE_READ),
    "risks:profile_print": (lambda w: "/c/riverbend/risk-profile/print/", "GET", PAGE_READ),
    "risks:assessments": (lambda w: "/c/riverbend/assessments/?kind=natural", "GET", PAGE_READ),
    "risks:assessment_create": (lambda w: "/c/riverbend/assessments/new/", "GET", PAGE_RECORDERS),
    "risks:functions": (lambda w: "/c/riverbend/critical-functions/", "GET", PAGE_READ),
    "risks:function_create": (lambda w: "/c/riverbend/critical-functions/new/", "GET", PAGE_RECORDERS),
    "risks:assessment_detail": (lambda w: f"/assessments/{w.assessment.pk}/", "GET", PAGE_AMBER),
    "risks:assessment_edit": (lambda w: f"/assessments/{w.assessment.pk}/edit/", "GET", PAGE_AMBER_EDITORS),
    "risks:assessment_delete": (lambda w: f"/assessments/{w.assessment.pk}/delete/", "POST", POST_AMBER_EDITORS),
    "risks:function_edit": (lambda w: f"/critical-functions/{w.function.pk}/edit/", "GET", PAGE_AMBER_EDITORS),
    "risks:function_delete": (lambda w: f"/critical-functions/{w.function.pk}/delete/", "POST", POST_AMBER_EDITORS),
    "agenda:issues": (lambda w: "/c/riverbend/issues/?mission_area=response", "GET", PAGE_READ),
    "agenda:issue_create": (lambda w: "/c/riverbend/issues/new/", "GET", PAGE_READ),
    "agenda:agenda": (lambda w: "/c/riverbend/agenda/", "GET", PAGE_READ),
    "agenda:vote_create": (lambda w: "/c/riverbend/votes/new/", "GET", PAGE_LEADERS),
    "agenda:issue_detail": (lambda w: f"/issues/{w.issue.pk}/", "GET", PAGE_READ),
    "agenda:issue_edit": (lambda w: f"/issues/{w.issue.pk}/edit/", "GET", expect(200, visitor=302, outsider=404, admin_other=403)),
    "agenda:issue_endorse": (lambda w: f"/issues/{w.other_issue.pk}/endorse/", "POST", PAGE_POST),
    "agenda:issue_withdraw": (lambda w: f"/issues/{w.issue.pk}/withdraw/", "POST", expect(302, outsider=404, admin_other=404, cochair=404, facilitator=404)),
    "agenda:issue_comment": (lambda w: f"/issues/{w.issue.pk}/comment/", "POST", PAGE_POST),
    "agenda:issue_decide": (lambda w: f"/issues/{w.issue.pk}/decide/", "POST", PAGE_DECIDERS),
    "agenda:issue_merge": (lambda w: f"/issues/{w.other_issue.pk}/merge/", "POST", PAGE_DECIDERS),
    "agenda:vote_detail": (lambda w: f"/votes/{w.vote.pk}/", "GET", PAGE_READ),
    "agenda:vote_close": (lambda w: f"/votes/{w.vote.pk}/close/", "POST", PAGE_DECIDERS),
    "sustainability:assessments": (lambda w: "/c/riverbend/needs/", "GET", PAGE_READ),
    "sustainability:assessment_create": (lambda w: "/c/riverbend/needs/new/", "GET", PAGE_LEADERS),
    "sustainability:assessment_detail": (lambda w: f"/needs/{w.needs.pk}/", "GET", PAGE_READ),
    "sustainability:answer": (lambda w: f"/needs/{w.needs.pk}/answer/", "GET", PAGE_RECORDERS),
    "sustainability:items": (lambda w: f"/needs/{w.needs.pk}/items/", "GET", PAGE_LEADERS),
    "sustainability:item_edit": (lambda w: f"/needs-items/{w.needs.items.first().pk}/edit/", "GET", PAGE_LEADERS),
    "sustainability:item_delete": (lambda w: f"/needs-items/{w.needs.items.first().pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:meetings": (lambda w: "/c/riverbend/meetings/", "GET", PAGE_READ),
    "sustainability:meeting_create": (lambda w: "/c/riverbend/meetings/new/?kind=tabletop", "GET", PAGE_LEADERS),
    "sustainability:meeting_detail": (lambda w: f"/meetings/{w.meeting.pk}/", "GET", PAGE_READ),
    "sustainability:meeting_edit": (lambda w: f"/meetings/{w.meeting.pk}/edit/", "GET", PAGE_LEADERS),
    "sustainability:meeting_delete": (lambda w: f"/meetings/{w.meeting.pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:attendance": (lambda w: f"/meetings/{w.meeting.pk}/attendance/", "GET", PAGE_LEADERS),
    "sustainability:objective_create": (lambda w: f"/meetings/{w.meeting.pk}/objectives/new/", "GET", PAGE_LEADERS),
    "sustainability:observation_create": (lambda w: f"/meetings/{w.meeting.pk}/observations/new/", "GET", PAGE_LEADERS),
    "sustainability:objective_delete": (lambda w: f"/objectives/{needs_services.objective_create(actor=None, meeting=w.meeting, text='O').pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:observation_delete": (lambda w: f"/observations/{w.observation.pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:corrective_action_create": (lambda w: f"/observations/{w.observation.pk}/actions/new/", "GET", PAGE_LEADERS),
    "sustainability:need_rank": (lambda w: f"/needs-items/{w.needs.items.first().pk}/rank/", "GET", PAGE_LEADERS),
    "sustainability:partnership_plan": (lambda w: "/c/riverbend/plan/", "GET", PAGE_READ),
    "sustainability:calendar": (lambda w: "/c/riverbend/calendar/", "GET", PAGE_READ),
    "sustainability:calendar_feed": (lambda w: f"/calendar/{feed_token(user=w.table.member, community=w.table.community)}.ics", "GET", expect(200)),
    "sustainability:goals": (lambda w: "/c/riverbend/goals/", "GET", PAGE_READ),
    "sustainability:goal_create": (lambda w: "/c/riverbend/goals/new/", "GET", PAGE_LEADERS),
    "sustainability:goal_edit": (lambda w: f"/goals/{w.goal.pk}/edit/", "GET", PAGE_LEADERS),
    "sustainability:task_create": (lambda w: f"/goals/{w.goal.pk}/tasks/new/?template=pandemic_plan", "GET", PAGE_LEADERS),
    "sustainability:task_detail": (lambda w: f"/tasks/{w.task.pk}/", "GET", PAGE_READ),
    "sustainability:task_edit": (lambda w: f"/tasks/{w.task.pk}/edit/", "GET", PAGE_LEADERS),
    "resources:resources": (lambda w: "/c/riverbend/resources/?near=42.7,-84.5&radius_km=50&q=generator", "GET", PAGE_READ),
    "resources:resource_create": (lambda w: "/c/riverbend/resources/new/", "GET", PAGE_RECORDERS),
    "resources:geojson": (lambda w: "/c/riverbend/resources/export.geojson", "GET", PAGE_READ),
    "resources:contribution": (lambda w: "/c/riverbend/resources/contribution/", "GET", PAGE_READ),
    "resources:agreements": (lambda w: "/c/riverbend/agreements/", "GET", PAGE_READ),
    "resources:agreement_create": (lambda w: "/c/riverbend/agreements/new/", "GET", PAGE_RECORDERS),
    "resources:resource_detail": (lambda w: f"/resources/{w.resource.pk}/", "GET", PAGE_READ),
    "resources:resource_edit": (lambda w: f"/resources/{w.resource.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "resources:resource_verify": (lambda w: f"/resources/{w.resource.pk}/verify/", "POST", POST_EDITORS),
    "resources:resource_delete": (lambda w: f"/resources/{w.resource.pk}/delete/", "POST", POST_EDITORS),
    "resources:agreement_detail": (lambda w: f"/agreements/{w.agreement.pk}/", "GET", PAGE_READ),
    "resources:agreement_edit": (lambda w: f"/agreements/{w.agreement.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "resources:agreement_document": (lambda w: f"/agreements/{w.agreement.pk}/document/", "GET", PAGE_READ),
    "resources:agreement_delete": (lambda w: f"/agreements/{w.agreement.pk}/delete/", "POST", POST_EDITORS),
}  # fmt: skip

# Who sees the subject's contact details, by marking (DESIGN.md, TLP table).
CONTACT_AUDIENCE = {
    TLP.CLEAR: {"member", "admin_own", "admin_other", "cochair", "facilitator"},
    TLP.GREEN: {"member", "admin_own", "admin_other", "cochair", "facilitator"},
    TLP.AMBER: {"member", "admin_own", "cochair", "facilitator"},
    TLP.AMBER_STRICT: {"member", "admin_own"},
    TLP.RED: set(),
}


def user_for(world: World, role: str):
    return None if role == "visitor" else getattr(world.table, USER_OF_ROLE[role])


def api_operations() -> set[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    }


def page_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= page_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_operation_and_page_has_a_row(db):
    assert api_operations() == set(API), (
        "API operations without a row in the matrix (or rows without an operation)"
    )
    assert page_names() == set(PAGES), "pages without a row in the matrix (or rows without a page)"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_operation_by_role(world, operation, role):
    build, expected = API[operation]
    client = APIClient()
    user = user_for(world, role)
    if operation == ("POST", "/api/v1/auth/token/"):
        username = user.username if user else "nobody"
        response = client.post(
            "/api/v1/auth/token/", {"username": username, "password": "a-long-test-password"}
        )
    else:
        if user is not None:
            client.force_authenticate(user)
        path, payload = build(world)
        response = getattr(client, operation[0].lower())(path, payload, format="json")
    assert response.status_code == expected[role], (role, operation, getattr(response, "data", None))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_by_role(world, name, role):
    build, method, expected = PAGES[name]
    client = Client()
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method.lower())(build(world))
    assert response.status_code == expected[role], (role, name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("marking", list(TLP))
def test_contact_details_by_role_and_marking_in_api_and_pages(world, role, marking):
    world.subject.contact_tlp = marking
    world.subject.save()
    user = user_for(world, role)
    allowed = role in CONTACT_AUDIENCE[marking]
    api = APIClient()
    page = Client()
    if user is not None:
        api.force_authenticate(user)
        page.force_login(user)
    detail = api.get(f"/api/v1/people/{world.subject.pk}/")
    if role in ("visitor", "outsider"):
        assert detail.status_code == (401 if role == "visitor" else 404)
        return
    assert detail.json()["email"] == ("subject@example.org" if allowed else None)
    listed = {p["email"] for p in api.get("/api/v1/people/?page_size=200").json()["results"]}
    assert ("subject@example.org" in listed) is allowed
    assert ("subject@example.org" in page.get("/c/riverbend/people/").content.decode()) is allowed
    assert (
        "subject@example.org" in page.get(f"/organizations/{world.table.private_org.pk}/").content.decode()
    ) is allowed
    exported = page.get("/c/riverbend/export/people.csv").content.decode("utf-8-sig")
    assert ("subject@example.org" in exported) is allowed


def test_an_invitation_is_not_revealed_by_its_count(world):
    api = APIClient()
    api.force_authenticate(world.table.member)
    assert Invitation.objects.filter(community=world.table.community).count() >= 1
    assert api.get("/api/v1/invitations/").json()["count"] == 0


# Who sees the private organization's assessment (and critical function) one by one, by marking.
ASSESSMENT_AUDIENCE = {
    TLP.CLEAR: {"member", "admin_own", "admin_other", "cochair", "facilitator"},
    TLP.GREEN: {"member", "admin_own", "admin_other", "cochair", "facilitator"},
    TLP.AMBER: {"member", "admin_own", "cochair", "facilitator"},
    TLP.AMBER_STRICT: {"member", "admin_own"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("marking", list(ASSESSMENT_AUDIENCE))
def test_assessments_and_the_risk_profile_by_role_and_marking(world, role, marking):
    """One organization's assessment: seen one by one by its audience; in the profile, left out for the rest."""
    world.assessment.tlp = marking
    world.assessment.save()
    world.function.tlp = marking
    world.function.save()
    user = user_for(world, role)
    allowed = role in ASSESSMENT_AUDIENCE[marking]
    api, page = APIClient(), Client()
    if user is not None:
        api.force_authenticate(user)
        page.force_login(user)
    detail = api.get(f"/api/v1/assessments/{world.assessment.pk}/")
    profile = api.get("/api/v1/communities/riverbend/risk-profile/")
    if role in ("visitor", "outsider"):  # TLP:CLEAR is for everyone; the profile is for the table
        expected = (401, 401) if role == "visitor" else (200 if marking == TLP.CLEAR else 404, 404)
        assert (detail.status_code, profile.status_code) == expected
        return
    assert detail.status_code == (200 if allowed else 404)
    assert api.get(f"/api/v1/critical-functions/{world.function.pk}/").status_code == (
        200 if allowed else 404
    )
    listed = api.get("/api/v1/assessments/?community=riverbend").json()["results"]
    assert (world.assessment.pk in {a["id"] for a in listed}) is allowed
    # A reader outside its audience gets no figure resting on it: the hazard is not in their profile at all.
    tornado = {h["hazard"]: h for h in profile.json()["hazards"]}.get(world.assessment.hazard_id)
    assert (tornado is not None and tornado["score"] == 12.0) is allowed
    drill = page.get(f"/c/riverbend/hazards/{world.assessment.hazard_id}/")
    assert (world.assessment in drill.context["page_obj"]) is allowed
    exported = page.get("/c/riverbend/export/assessments.csv").content.decode("utf-8-sig")
    assert ("Tornado" in exported) is allowed
    heat = page.get("/c/riverbend/risk-profile/").context["heat_map"]
    placed = {r.hazard.code for row in heat for cell in row for r in cell.hazards}
    assert ("tornado" in placed) is allowed
