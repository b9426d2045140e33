"""Who must sign in in two steps: facilitators (an installation setting), a community's leaders (its setting)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from commonground.accounts.models import ApiToken
from commonground.accounts.services import token_create
from commonground.communities import services as community_services
from commonground.communities.models import Community
from commonground.core.models import AuditEntry

from .twofactor_helpers import code_for, login

pytestmark = pytest.mark.django_db

ENROL, HOME = "/accounts/two-step/set-up/", "/my-work/"


def test_a_facilitator_without_an_authenticator_is_sent_to_enrol_and_reaches_nothing_else(
    client, table, settings
):
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = True
    login(client, table.facilitator)
    for path in (HOME, "/communities/", "/c/riverbend/", "/accounts/password/", "/accounts/two-step/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(ENROL), path
    assert client.get("/api/v1/communities/").status_code == 403
    assert client.post("/api/v1/communities/", {"name": "X"}).status_code == 403
    assert client.get(ENROL).status_code == 200
    assert client.get("/accounts/login/").status_code == 200  # public pages stay public
    key = client.session["twofactor_pending_key"]
    assert client.post(ENROL, {"code": code_for(key)}).status_code == 302
    assert client.get(HOME).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_the_setting_off_lets_facilitators_in_with_the_password(client, table, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = False
    login(client, table.facilitator)
    assert client.get(HOME).status_code == 200


def test_an_api_token_is_not_affected(table, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = True
    _token, key = token_create(actor=None, user=table.facilitator, name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/communities/").status_code == 200


def test_a_community_may_require_it_of_its_leaders(client, table, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = False
    community_services.community_update(
        actor=table.cochair, community=table.community, data={"two_factor_required_for_leaders": True}
    )
    entry = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Community)).first()
    assert entry.changes == {"two_factor_required_for_leaders": [False, True]}
    assert entry.community_id == table.community.pk
    for user, required in (
        (table.cochair, True),
        (table.admin, True),  # admin of an organization at the table
        (table.other_admin, True),
        (table.member, False),
        (table.outsider, False),  # an admin elsewhere is not this community's leader either
    ):
        client.logout()
        login(client, user)
        response = client.get(HOME)
        assert (response.status_code == 302 and response["Location"].startswith(ENROL)) is required, user


def test_a_member_may_not_change_the_rule(table):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        community_services.community_update(
            actor=table.member, community=table.community, data={"two_factor_required_for_leaders": True}
        )
    table.community.refresh_from_db()
    assert table.community.two_factor_required_for_leaders is False


def test_the_community_edit_form_sets_the_rule(client, table):
    client.force_login(table.cochair)
    form = client.get("/c/riverbend/edit/")
    assert form.status_code == 200 and "two_factor_required_for_leaders" in form.content.decode()


def test_the_rule_is_read_again_after_a_while(client, table, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = False
    login(client, table.cochair)
    assert client.get(HOME).status_code == 200
    Community.objects.filter(pk=table.community.pk).update(two_factor_required_for_leaders=True)
    assert client.get(HOME).status_code == 200  # kept for the session a while...
    session = client.session
    state, at = session["twofactor_state"]
    session["twofactor_state"] = [state, at - settings.TWO_FACTOR_POLICY_RECHECK_SECONDS]
    session.save()
    assert client.get(HOME)["Location"].startswith(ENROL)  # ...then read again


def test_a_token_needs_the_code_too_for_a_login_with_an_authenticator(table):
    from .twofactor_helpers import PASSWORD, enrol

    key, _codes = enrol(table.member)
    api = APIClient()
    asked = {"username": table.member.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", asked).status_code == 400
    # A wrong recovery code slows the recovery codes only; the app's code is still taken at once.
    assert api.post("/api/v1/auth/token/", {**asked, "code": "12345x"}).status_code == 400
    assert not ApiToken.objects.filter(user=table.member).exists()
    given = api.post("/api/v1/auth/token/", {**asked, "code": code_for(key, ahead=1)})
    assert given.status_code == 200 and given.json()["token"]


def test_no_token_for_a_login_that_must_enrol_first(table, settings):
    from .twofactor_helpers import PASSWORD

    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = True
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": table.facilitator.username, "password": PASSWORD}
    )
    assert response.status_code == 400 and "token" not in response.json()
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = False
    assert (
        APIClient()
        .post("/api/v1/auth/token/", {"username": table.facilitator.username, "password": PASSWORD})
        .status_code
        == 200
    )
