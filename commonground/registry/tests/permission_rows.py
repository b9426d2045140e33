"""The permission matrix's rows for organizations, people and invitations, and their part of the world.

The world's subject is a person of the private organization; the private organization has been updated
once, so the audit log holds an entry its admins and the co-chairs may read.
"""

from commonground.core.models import AuditEntry
from commonground.core.testing import (
    API_LIST,
    API_READ,
    PAGE_LEADERS,
    PAGE_ORG_EDITORS,
    PAGE_READ,
    expect,
    unique,
)
from commonground.core.tlp import TLP
from commonground.registry import services
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from commonground.registry.tokens import make_token


def build(world) -> None:
    table = world.table
    services.organization_update(actor=table.admin, organization=table.private_org, data={"employees": 2001})
    world.add(
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
        audit_entry=AuditEntry.objects.get(action="update", organization_id=table.private_org.pk),
        orphan=OrganizationFactory(name="Orphan Org"),
    )
    # The former member: their person was removed from the private organization; the login stays.
    former = UserFactory()
    services.person_delete(
        actor=table.admin, person=PersonFactory(organization=table.private_org, user=former)
    )
    world.add(former_member=former)


def fresh_token(world) -> str:
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


# (method, path template): (path and payload for a world, expected status by role)
API = {
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
    ("GET", "/api/v1/invitations/"): (lambda w: ("/api/v1/invitations/", None), API_LIST),
    ("POST", "/api/v1/invitations/"): (lambda w: ("/api/v1/invitations/", {"community": "riverbend", "email": f"x{next(unique)}@example.org", "name": "X", "organization_name": "X Co"}), expect(201, visitor=401, outsider=400)),
    ("GET", "/api/v1/invitations/{id}/"): (lambda w: (f"/api/v1/invitations/{w.invitation.pk}/", None), expect(404, visitor=401, cochair=200, facilitator=200)),
    ("POST", "/api/v1/invitations/{id}/revoke/"): (lambda w: (f"/api/v1/invitations/{w.invitation.pk}/revoke/", None), expect(404, visitor=401, cochair=200, facilitator=200)),
    ("POST", "/api/v1/invitations/accept/"): (lambda w: ("/api/v1/invitations/accept/", {"token": fresh_token(w), "username": f"u{next(unique)}", "password": "a-long-test-password", "first_name": "N", "last_name": "O", "organization": {"sector": "private", "category": "utility"}}), expect(201)),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "registry:organizations": (lambda w: "/c/riverbend/organizations/", "GET", PAGE_READ),
    "registry:organization_create": (lambda w: "/c/riverbend/organizations/new/", "GET", PAGE_LEADERS),
    "registry:people": (lambda w: "/c/riverbend/people/", "GET", PAGE_READ),
    "registry:invitations": (lambda w: "/c/riverbend/invitations/", "GET", PAGE_READ),
    "registry:invitation_tree": (lambda w: "/c/riverbend/invitations/tree/", "GET", PAGE_READ),
    "registry:coverage": (lambda w: "/c/riverbend/coverage/", "GET", PAGE_READ),
    "registry:organization_detail": (lambda w: f"/organizations/{w.table.private_org.pk}/", "GET", PAGE_READ),
    "registry:organization_edit": (lambda w: f"/organizations/{w.table.private_org.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "registry:person_create": (lambda w: f"/organizations/{w.table.private_org.pk}/people/new/", "GET", PAGE_ORG_EDITORS),
    "registry:person_edit": (lambda w: f"/people/{w.subject.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "registry:person_delete": (lambda w: f"/people/{w.subject.pk}/delete/", "POST", expect(403, visitor=302, outsider=404, admin_own=302, cochair=302, facilitator=302)),
    "registry:membership_remove": (lambda w: f"/memberships/{w.membership.pk}/remove/", "POST", expect(403, visitor=302, outsider=404, cochair=302, facilitator=302)),
    "registry:invitation_accept": (lambda w: f"/invite/{fresh_token(w)}/", "GET", expect(200)),
}  # fmt: skip
