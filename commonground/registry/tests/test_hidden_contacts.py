"""A person's contact details marked beyond the reader: never shown, pre-filled, changed or re-marked by them."""

import pytest
from django.test import Client

from commonground.core.testing import api_client
from commonground.core.tlp import TLP
from commonground.registry import services
from commonground.registry.models import Invitation, InvitationStatus, Person
from commonground.registry.tests.factories import PersonFactory, UserFactory
from commonground.registry.tokens import make_token

RED_EMAIL = "red-marker-5c1e@example.org"
RED_MOBILE = "RED-MOBILE-MARKER-93"


@pytest.fixture
def red(table) -> Person:
    return PersonFactory(
        organization=table.private_org, email=RED_EMAIL, mobile=RED_MOBILE, phone="", contact_tlp=TLP.RED
    )


def _row(person) -> dict:
    return Person.objects.filter(pk=person.pk).values().get()


def _page(user, url, data=None):
    client = Client()
    client.force_login(user)
    return client.post(url, data) if data is not None else client.get(url)


def test_the_person_edit_form_does_not_prefill_red_contact_details_for_a_cochair(table, red):
    response = _page(table.cochair, f"/people/{red.pk}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert RED_EMAIL not in page and RED_MOBILE not in page
    assert 'name="email"' not in page and 'name="mobile"' not in page
    assert "Contact details are TLP:RED" in page


def test_the_person_themself_sees_their_red_details_in_the_form(table, red):
    red.user = UserFactory()
    red.save()
    page = _page(red.user, f"/people/{red.pk}/edit/").content.decode()
    assert RED_EMAIL in page and RED_MOBILE in page


def test_saving_the_person_form_without_the_hidden_details_keeps_them(table, red):
    data = {"first_name": red.first_name, "last_name": red.last_name, "title": "Logistics lead",
            "role": red.role, "contact_tlp": TLP.RED}  # fmt: skip
    assert _page(table.cochair, f"/people/{red.pk}/edit/", data).status_code == 302
    red.refresh_from_db()
    assert (red.title, red.email, red.mobile, red.contact_tlp) == (
        "Logistics lead",
        RED_EMAIL,
        RED_MOBILE,
        TLP.RED,
    )


def test_a_cochair_may_not_lower_a_red_contact_through_the_api(table, red):
    before = _row(red)
    api = api_client(table.cochair)
    response = api.patch(f"/api/v1/people/{red.pk}/", {"contact_tlp": TLP.GREEN}, format="json")
    assert response.status_code == 400 and "contact_tlp" in response.json()
    assert _row(red) == before
    shown = api.get(f"/api/v1/people/{red.pk}/").json()
    assert shown["email"] is None and shown["mobile"] is None
    assert RED_EMAIL not in response.content.decode()


@pytest.mark.parametrize("field", ["email", "phone", "mobile"])
def test_a_cochair_may_not_change_red_contact_details_they_cannot_see(table, red, field):
    before = _row(red)
    response = api_client(table.cochair).patch(
        f"/api/v1/people/{red.pk}/", {field: "x@example.org"}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert _row(red) == before


def test_the_person_themself_lowers_their_red_contact(table, red):
    red.user = UserFactory()
    red.save()
    response = api_client(red.user).patch(
        f"/api/v1/people/{red.pk}/", {"contact_tlp": TLP.GREEN}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Person.objects.get(pk=red.pk).contact_tlp == TLP.GREEN


def test_a_cochair_adding_a_person_with_a_hidden_email_is_answered_as_without_permission(table, red):
    data = {"organization": table.private_org.pk, "first_name": "Ann", "last_name": "Ode"}
    refused = api_client(table.member).post(
        "/api/v1/people/", {**data, "email": "new@example.org"}, format="json"
    )
    hidden = api_client(table.cochair).post("/api/v1/people/", {**data, "email": RED_EMAIL}, format="json")
    assert (hidden.status_code, hidden.json()) == (refused.status_code, refused.json()) == (
        403, {"detail": "Only the organization's admin may add people."}
    )  # fmt: skip
    assert Person.objects.filter(email__iexact=RED_EMAIL).count() == 1


def _invite(user, email):
    response = api_client(user).post(
        "/api/v1/invitations/",
        {"community": "riverbend", "email": email, "name": "Ann Ode", "organization": None,
         "organization_name": "Ode Bakery", "suggested_category": "small_employer"},
        format="json",
    )  # fmt: skip
    body = response.json()
    if response.status_code == 201:
        for key in ("id", "email", "created", "updated", "expires_at", "url"):
            body.pop(key, None)
    return response.status_code, body


def test_inviting_a_hidden_red_email_is_answered_as_any_unknown_address(table, red):
    red.user = UserFactory()
    red.save()
    assert _invite(table.cochair, RED_EMAIL) == _invite(table.cochair, "nobody-yet@example.org")
    assert _invite(table.cochair, RED_EMAIL)[0] == 201


def test_inviting_a_visible_email_at_the_table_still_says_so(table):
    status, body = _invite(table.cochair, table.admin.person.email)
    assert status == 400 and "already at the table" in str(body)


def test_accepting_an_invitation_to_a_login_already_at_the_table_says_log_in(table, red):
    red.user = UserFactory()
    red.save()
    invitation = services.invitation_send(
        actor=table.cochair, community=table.community, email=RED_EMAIL, name="R", organization_name="New Org"
    )
    with pytest.raises(Exception, match="log in instead"):
        services.invitation_accept(
            token=make_token(invitation), username="again", password="a-long-test-password",
            first_name="R", last_name="Ed", organization_data={"sector": "private", "category": "small_employer"},
        )  # fmt: skip
    assert Person.objects.filter(email__iexact=RED_EMAIL).count() == 1


def test_accepting_joins_the_person_already_registered_with_hidden_details(table, red):
    invitation = services.invitation_send(
        actor=table.cochair, community=table.community, email=RED_EMAIL.upper(), name="R",
        organization=table.private_org,
    )  # fmt: skip
    person = services.invitation_accept(
        token=make_token(invitation), username="red", password="a-long-test-password",
        first_name="R", last_name="Ed",
    )  # fmt: skip
    assert person.pk == red.pk and Person.objects.filter(email__iexact=RED_EMAIL).count() == 1
    red.refresh_from_db()
    assert (red.user.username, red.email, red.mobile, red.contact_tlp) == (
        "red",
        RED_EMAIL,
        RED_MOBILE,
        TLP.RED,
    )
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.ACCEPTED
