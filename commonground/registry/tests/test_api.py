import pytest
from rest_framework.test import APIClient

from commonground.core.tlp import TLP
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory
from commonground.registry.tokens import make_token


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_visitors_get_401(table):
    assert client_for().get("/api/v1/organizations/").status_code == 401


def test_members_list_only_their_communities_organizations(table):
    response = client_for(table.member).get("/api/v1/organizations/")
    assert response.status_code == 200
    assert {o["name"] for o in response.json()["results"]} == {"Riverbend Fire", "Great Lakes Logistics"}


def test_another_communitys_organization_is_not_found(table):
    assert client_for(table.member).get(f"/api/v1/organizations/{table.outside_org.pk}/").status_code == 404


def test_lists_filter_and_paginate(table):
    for i in range(30):
        OrganizationFactory(name=f"Shop {i}").memberships.create(community=table.community)
    response = client_for(table.member).get(
        "/api/v1/organizations/?community=riverbend&sector=private&q=shop&page_size=10"
    )
    body = response.json()
    assert body["count"] == 30 and len(body["results"]) == 10 and body["next"]


def test_create_needs_a_community_and_gives_field_errors(table):
    response = client_for(table.cochair).post(
        "/api/v1/organizations/", {"name": "X", "sector": "public", "category": "police"}, format="json"
    )
    assert response.status_code == 400 and "community" in response.json()
    response = client_for(table.cochair).post(
        "/api/v1/organizations/",
        {"name": "X", "sector": "public", "category": "police", "community": "riverbend"},
        format="json",
    )
    assert response.status_code == 400 and "level" in response.json()


def test_a_cochair_creates_an_organization(table):
    response = client_for(table.cochair).post(
        "/api/v1/organizations/",
        {
            "name": "Riverbend PD",
            "sector": "public",
            "category": "police",
            "level": "local",
            "community": "riverbend",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["communities"] == ["riverbend"]


@pytest.mark.parametrize(
    "role, status",
    [("admin", 200), ("other_admin", 403), ("member", 403), ("outsider", 404), ("cochair", 200)],
)
def test_who_may_edit_an_organization(table, role, status):
    response = client_for(table.user(role)).patch(
        f"/api/v1/organizations/{table.private_org.pk}/", {"employees": 7}, format="json"
    )
    assert response.status_code == status
    table.private_org.refresh_from_db()
    assert (table.private_org.employees == 7) is (status == 200)


def test_bad_values_are_400_not_500(table):
    client = client_for(table.admin)
    for payload in (
        {"employees": -1},
        {"latitude": 500, "longitude": 0},
        {"sector": "martian"},
        {"website": "not a url"},
        {"name": "x" * 500},
    ):
        response = client.patch(f"/api/v1/organizations/{table.private_org.pk}/", payload, format="json")
        assert response.status_code == 400, payload
    assert (
        client.post("/api/v1/organizations/", "{not json", content_type="application/json").status_code == 400
    )


def test_contact_details_are_withheld_by_marking(table):
    PersonFactory(organization=table.private_org, email="strict@example.org", contact_tlp=TLP.AMBER_STRICT)
    seen_by_other = client_for(table.other_admin).get("/api/v1/people/?q=").json()["results"]
    strict = next(p for p in seen_by_other if p["contact_tlp"] == TLP.AMBER_STRICT)
    assert strict["email"] is None and strict["contact_visible"] is False
    seen_by_colleague = client_for(table.member).get("/api/v1/people/").json()["results"]
    assert "strict@example.org" in {p["email"] for p in seen_by_colleague}


def test_token_authentication(table):
    response = client_for().post(
        "/api/v1/auth/token/", {"username": table.member.username, "password": "a-long-test-password"}
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/communities/").json()["results"][0]["slug"] == "riverbend"


def test_a_wrong_password_gets_no_token(table):
    response = client_for().post(
        "/api/v1/auth/token/", {"username": table.member.username, "password": "wrong"}
    )
    assert response.status_code == 400


def test_community_progress_and_coverage(table):
    client = client_for(table.member)
    steps = client.get("/api/v1/communities/riverbend/progress/").json()
    assert [s["number"] for s in steps] == [1, 2, 3, 4, 5, 6]
    coverage = client.get("/api/v1/communities/riverbend/coverage/").json()
    assert coverage["by_sector"]["public"] == 1 and "police" in coverage["missing"]
    assert client.get("/api/v1/communities/elsewhere/").status_code == 404


def test_only_facilitators_create_communities(table):
    payload = {
        "name": "Oakridge",
        "slug": "oakridge",
        "kind": "city",
        "state": "MI",
        "center_latitude": 42.6,
        "center_longitude": -84.5,
    }
    assert client_for(table.cochair).post("/api/v1/communities/", payload, format="json").status_code == 403
    assert (
        client_for(table.facilitator).post("/api/v1/communities/", payload, format="json").status_code == 201
    )


def test_cochairs_via_the_api(table):
    client = client_for(table.cochair)
    response = client.post(
        "/api/v1/cochairs/", {"community": "riverbend", "person": table.admin.person.pk}, format="json"
    )
    assert response.status_code == 201
    assert client.get("/api/v1/communities/riverbend/progress/").json()[0]["status"] == "done"
    duplicate = client.post(
        "/api/v1/cochairs/", {"community": "riverbend", "person": table.admin.person.pk}, format="json"
    )
    assert duplicate.status_code == 400
    assert client_for(table.member).delete(f"/api/v1/cochairs/{response.json()['id']}/").status_code == 403


def test_invite_and_accept_through_the_api(table):
    response = client_for(table.member).post(
        "/api/v1/invitations/",
        {
            "community": "riverbend",
            "email": "ann@example.org",
            "name": "Ann Ode",
            "organization_name": "Ode Bakery",
            "suggested_category": "small_employer",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    from commonground.registry.models import Invitation

    token = make_token(Invitation.objects.get(pk=response.json()["id"]))
    accept = {
        "token": token,
        "username": "ann",
        "password": "a-long-test-password",
        "first_name": "Ann",
        "last_name": "Ode",
        "organization": {"sector": "private"},
    }
    response = client_for().post("/api/v1/invitations/accept/", accept, format="json")
    assert response.status_code == 201, response.json()
    assert Organization.objects.get(pk=response.json()["organization"]).name == "Ode Bakery"
    again = client_for().post("/api/v1/invitations/accept/", {**accept, "username": "ann2"}, format="json")
    assert again.status_code == 400 and "token" in again.json()


def test_audit_log_is_for_cochairs(table):
    client_for(table.admin).patch(
        f"/api/v1/organizations/{table.private_org.pk}/", {"employees": 9}, format="json"
    )
    entries = client_for(table.cochair).get("/api/v1/audit/?action=update").json()["results"]
    assert entries[0]["changes"] == {"employees": [2000, 9]}
    assert client_for(table.member).get("/api/v1/audit/").json()["count"] == 0


def test_the_schema_and_docs_are_served(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_a_logged_in_browser_can_still_get_a_token_without_csrf(client, table):
    """Regression: the token endpoint ran session authentication, so a logged-in browser got 403 (CSRF)."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(table.member)
    response = browser.post(
        "/api/v1/auth/token/", {"username": table.member.username, "password": "a-long-test-password"}
    )
    assert response.status_code == 200 and "token" in response.json()


def test_a_whole_table_is_counted_by_its_seats_and_a_filtered_list_by_its_rows(table):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(table.member)
    whole = client.get("/api/v1/organizations/", {"community": "riverbend", "page_size": 1}).json()
    assert whole["count"] == 2 and len(whole["results"]) == 1 and whole["next"]
    filtered = client.get("/api/v1/organizations/", {"community": "riverbend", "sector": "public"}).json()
    assert filtered["count"] == 1
    outsider = APIClient()
    outsider.force_authenticate(table.outsider)
    assert outsider.get("/api/v1/organizations/", {"community": "riverbend"}).json()["count"] == 0


def test_hand_written_organization_representation_equals_drfs_own(table):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from commonground.registry.api.serializers import OrganizationSerializer
    from commonground.registry.selectors import community_slugs

    table.private_org.memberships.create(community=table.outside_org.memberships.first().community)
    OrganizationFactory(name="Unsized", employees=None, latitude=None, longitude=None, website="", level="")
    request = Request(APIRequestFactory().get("/"))
    request.user = table.cochair
    serializer = OrganizationSerializer(context={"request": request})
    organizations = list(Organization.objects.all())
    slugs = community_slugs([organization.pk for organization in organizations])
    assert len(slugs[table.private_org.pk]) == 2
    for organization in organizations:
        communities = slugs.get(organization.pk, [])
        assert serializer.represent(organization, communities) == serializer.generic_representation(
            organization, communities
        )


def test_organization_lists_name_every_community_an_organization_sits_at(table):
    other = table.outside_org.memberships.first().community
    table.private_org.memberships.create(community=other)
    response = client_for(table.member).get(f"/api/v1/organizations/{table.private_org.pk}/")
    assert response.json()["communities"] == sorted(["riverbend", other.slug])
    listed = client_for(table.member).get("/api/v1/organizations/?community=riverbend").json()["results"]
    assert next(o for o in listed if o["id"] == table.private_org.pk)["communities"] == sorted(
        ["riverbend", other.slug]
    )
