"""The permission matrix: every API operation and every page x every role, and every TLP marking.

Each app declares its rows and its part of the matrix_world in `<app>/tests/permission_rows.py`;
`core.testing` gathers them. The expected outcomes follow DESIGN.md. An operation or a page that no app
gave a row fails `test_every_operation_and_page_has_a_row`, so nothing new ships without its
permissions stated. A write is also judged by the database: a refused one changes nothing, an accepted
one changes something. The matrix_world is built once for the module; each row runs in a savepoint.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from commonground.core.testing import (
    ROLES,
    WRITES,
    missing_rows,
    rows,
    watching_writes,
)
from commonground.core.tlp import TLP
from commonground.registry.models import Invitation

pytestmark = pytest.mark.django_db
API, PAGES = rows()


# Who sees the subject's contact details, by marking (DESIGN.md, TLP table).
CONTACT_AUDIENCE = {
    TLP.CLEAR: {"member", "admin_own", "admin_other", "cochair", "facilitator"},
    TLP.GREEN: {"member", "admin_own", "admin_other", "cochair", "facilitator"},
    TLP.AMBER: {"member", "admin_own", "cochair", "facilitator"},
    TLP.AMBER_STRICT: {"member", "admin_own"},
    TLP.RED: set(),
}


def test_every_operation_and_page_has_a_row():
    missing = {problem: found for problem, found in missing_rows().items() if found}
    assert not missing, "add the rows to the app's tests/permission_rows.py"


def refused(response) -> bool:
    """Whether the server turned the request away (a redirect to the login page is a refusal)."""
    if response.status_code == 302:
        return response.headers.get("Location", "").startswith("/accounts/login/")
    return response.status_code >= 400


def assert_database_follows(response, changed: set[str], what, *, accepted: bool) -> None:
    """After a refused write nothing changed; after an accepted one something did."""
    if refused(response):
        assert not changed, (what, response.status_code, "a refused write changed", changed)
    elif accepted:
        assert changed, (what, response.status_code, "an accepted write changed nothing")


@pytest.fixture(autouse=True)
def _module_media(settings, matrix_world):
    """Read the files the matrix_world saved (each test has a media folder of its own otherwise)."""
    settings.MEDIA_ROOT = matrix_world.media


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_operation_by_role(matrix_world, operation, role):
    build, expected = API[operation]
    client = APIClient()
    user = matrix_world.user(role)
    if operation == ("POST", "/api/v1/auth/token/"):
        username = user.username if user else "nobody"
        response = client.post(
            "/api/v1/auth/token/", {"username": username, "password": "a-long-test-password"}
        )
        assert response.status_code == expected[role], (role, operation, getattr(response, "data", None))
        return
    if user is not None:
        client.force_authenticate(user)
    path, payload = build(matrix_world)
    with watching_writes() as writes:
        response = getattr(client, operation[0].lower())(path, payload, format="json")
    assert response.status_code == expected[role], (role, operation, getattr(response, "data", None))
    if operation[0] in WRITES:
        assert_database_follows(
            response, writes.changed, (role, operation), accepted=response.status_code < 300
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_by_role(matrix_world, name, role):
    build, method, expected = PAGES[name]
    client = matrix_world.page_client(role)
    built = build(matrix_world)
    path, form = built if isinstance(built, tuple) else (built, None)
    with watching_writes() as writes:
        response = getattr(client, method.lower())(path, form)
    assert response.status_code == expected[role], (role, name)
    if method in WRITES and name != "logout":
        # A page answers a form with a redirect whether or not the service took it: judge those it was given.
        assert_database_follows(response, writes.changed, (role, name), accepted=form is not None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("marking", list(TLP))
def test_contact_details_by_role_and_marking_in_api_and_pages(matrix_world, role, marking):
    matrix_world.subject.contact_tlp = marking
    matrix_world.subject.save()
    user = matrix_world.user(role)
    allowed = role in CONTACT_AUDIENCE[marking]
    api = APIClient()
    page = Client()
    if user is not None:
        api.force_authenticate(user)
        page.force_login(user)
    detail = api.get(f"/api/v1/people/{matrix_world.subject.pk}/")
    if role in ("visitor", "outsider", "former_member"):
        assert detail.status_code == (401 if role == "visitor" else 404)
        return
    assert detail.json()["email"] == ("subject@example.org" if allowed else None)
    listed = {p["email"] for p in api.get("/api/v1/people/?page_size=200").json()["results"]}
    assert ("subject@example.org" in listed) is allowed
    assert ("subject@example.org" in page.get("/c/riverbend/people/").content.decode()) is allowed
    assert (
        "subject@example.org"
        in page.get(f"/organizations/{matrix_world.table.private_org.pk}/").content.decode()
    ) is allowed
    exported = page.get("/c/riverbend/export/people.csv").content.decode("utf-8-sig")
    assert ("subject@example.org" in exported) is allowed


def test_an_invitation_is_not_revealed_by_its_count(matrix_world):
    api = APIClient()
    api.force_authenticate(matrix_world.table.member)
    assert Invitation.objects.filter(community=matrix_world.table.community).count() >= 1
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
def test_assessments_and_the_risk_profile_by_role_and_marking(matrix_world, role, marking):
    """One organization's assessment: seen one by one by its audience; in the profile, left out for the rest."""
    matrix_world.assessment.tlp = marking
    matrix_world.assessment.save()
    matrix_world.function.tlp = marking
    matrix_world.function.save()
    user = matrix_world.user(role)
    allowed = role in ASSESSMENT_AUDIENCE[marking]
    api, page = APIClient(), Client()
    if user is not None:
        api.force_authenticate(user)
        page.force_login(user)
    detail = api.get(f"/api/v1/assessments/{matrix_world.assessment.pk}/")
    profile = api.get("/api/v1/communities/riverbend/risk-profile/")
    if role in (
        "visitor",
        "outsider",
        "former_member",
    ):  # TLP:CLEAR is for everyone; the profile is the table's
        expected = (401, 401) if role == "visitor" else (200 if marking == TLP.CLEAR else 404, 404)
        assert (detail.status_code, profile.status_code) == expected
        return
    assert detail.status_code == (200 if allowed else 404)
    assert api.get(f"/api/v1/critical-functions/{matrix_world.function.pk}/").status_code == (
        200 if allowed else 404
    )
    listed = api.get("/api/v1/assessments/?community=riverbend").json()["results"]
    assert (matrix_world.assessment.pk in {a["id"] for a in listed}) is allowed
    # A reader outside its audience gets no figure resting on it: the hazard is not in their profile at all.
    tornado = {h["hazard"]: h for h in profile.json()["hazards"]}.get(matrix_world.assessment.hazard_id)
    assert (tornado is not None and tornado["score"] == 12.0) is allowed
    drill = page.get(f"/c/riverbend/hazards/{matrix_world.assessment.hazard_id}/")
    assert (matrix_world.assessment in drill.context["page_obj"]) is allowed
    exported = page.get("/c/riverbend/export/assessments.csv").content.decode("utf-8-sig")
    assert ("Tornado" in exported) is allowed
    heat = page.get("/c/riverbend/risk-profile/").context["heat_map"]
    placed = {r.hazard.code for row in heat for cell in row for r in cell.hazards}
    assert ("tornado" in placed) is allowed
