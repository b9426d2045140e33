"""Passkeys (django-otp-webauthn) as the second step: listed, named and removed by their owner only (audited),
counted as an authenticator by the policy, offered at the code step, refused where the site's address
cannot have them. The ceremonies themselves run in a real browser (e2e/test_passkeys.py)."""

import os

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from commonground.accounts.twofactor import policy, services
from commonground.core.testing import changed_tables, database_state

from .test_twofactor import two_factor_entries
from .twofactor_helpers import PASSWORD, enrol, login

pytestmark = pytest.mark.django_db

OVERVIEW, CODE, HOME = "/accounts/two-step/", "/accounts/two-step/code/", "/my-work/"
BEGIN_REGISTER = "/accounts/two-step/passkeys/registration/begin/"
BEGIN_AUTH = "/accounts/two-step/passkeys/authentication/begin/"
COMPLETE_AUTH = "/accounts/two-step/passkeys/authentication/complete/"


@pytest.fixture
def passkeys_on(settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8000"]


def passkey_for(user, name="Laptop"):
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=os.urandom(32), public_key=b"\xa5" * 77, sign_count=0
    )


def test_a_passkey_counts_as_an_authenticator_and_the_code_step_offers_it(client, table, passkeys_on):
    user = table.member
    assert not policy.has_authenticator(user)
    passkey_for(user)
    assert policy.has_authenticator(user) and policy.standing_of(user) == policy.VERIFY
    assert login(client, user).status_code == 302
    page = client.get(HOME)
    assert page.status_code == 302 and page["Location"].startswith(CODE)
    body = client.get(CODE).content.decode()
    assert 'id="passkey-verification-button"' in body and 'id="otp_webauthn_config"' in body
    assert 'name="code"' not in body  # no app: no code field
    assert "django_otp_webauthn/otp_webauthn_auth.js" in body and "<script>" not in body
    # The ceremony's endpoints are open to the session that owes the step; the rest of the site is not.
    begun = client.post(BEGIN_AUTH)
    assert begun.status_code == 200 and begun.json()["allowCredentials"]
    assert client.get(HOME).status_code == 302


def test_the_code_step_shows_both_to_a_login_with_an_app_and_a_passkey(client, table, passkeys_on):
    user = table.member
    enrol(user)
    passkey_for(user)
    login(client, user)
    body = client.get(CODE).content.decode()
    assert 'id="passkey-verification-button"' in body and 'name="code"' in body


def test_no_passkey_is_offered_where_the_sites_address_cannot_have_one(client, table, settings):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = []
    user = table.member
    client.force_login(user)
    assert "passkey-register-button" not in client.get(OVERVIEW).content.decode()
    before = database_state()
    refused = client.post(BEGIN_REGISTER)
    assert refused.status_code == 403 and refused.json()["code"] == "passkeys_unavailable"
    assert changed_tables(before, database_state()) == set()


def test_a_verified_session_may_add_a_passkey_from_the_overview(client, table, passkeys_on):
    user = table.member
    client.force_login(user)
    body = client.get(OVERVIEW).content.decode()
    assert 'id="passkey-register-button"' in body and "commonground/passkeys.js" in body
    assert "You have no passkey." in body
    begun = client.post(BEGIN_REGISTER)
    assert begun.status_code == 200
    options = begun.json()
    assert options["rp"] == {"name": "Common Ground", "id": "localhost"}


def test_a_session_that_owes_the_step_may_not_add_a_passkey(client, table, passkeys_on):
    user = table.member
    enrol(user)
    login(client, user)
    before = database_state()
    refused = client.post(BEGIN_REGISTER)
    # Sent to the code step before the library sees it (the middleware keeps enrolment to sessions that owe one).
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/two-step/code/")
    assert changed_tables(before, database_state()) == set()


def test_the_owner_names_and_removes_a_passkey_and_the_audit_log_says_so(client, table, passkeys_on):
    user = table.member
    passkey = passkey_for(user, "Passkey 1")
    passkey_for(table.cochair, "Marker-other-9931")
    client.force_login(user)
    # force_login gives no second step: mark the session verified as the code step would.
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
    session.save()
    body = client.get(OVERVIEW).content.decode()
    assert "Marker-other-9931" not in body
    assert "Passkey 1" in body and f"/accounts/two-step/passkeys/{passkey.pk}/name/" in body

    url = f"/accounts/two-step/passkeys/{passkey.pk}/name/"
    assert client.get(url + "?new=1").status_code == 200
    before = database_state()
    bad = client.post(url, {"name": "   "})
    assert bad.status_code == 200 and changed_tables(before, database_state()) == set()
    done = client.post(url, {"name": "Work laptop"})
    assert done.status_code == 302 and done["Location"] == OVERVIEW
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"
    assert {"passkey_name": ["Passkey 1", "Work laptop"]} in two_factor_entries(user)

    removed = client.post(f"/accounts/two-step/passkeys/{passkey.pk}/remove/", {})
    assert removed.status_code == 302 and removed["Location"] == OVERVIEW
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert {"passkeys": [1, 0]} in two_factor_entries(user)
    assert not policy.has_authenticator(user)


def test_anothers_passkey_cannot_be_seen_renamed_or_removed(client, table, passkeys_on):
    theirs = passkey_for(table.cochair, "Marker-theirs-5521")
    client.force_login(table.member)
    body = client.get(OVERVIEW).content.decode()
    assert "Marker-theirs-5521" not in body
    before = database_state()
    assert client.get(f"/accounts/two-step/passkeys/{theirs.pk}/name/").status_code == 404
    assert client.post(f"/accounts/two-step/passkeys/{theirs.pk}/name/", {"name": "x"}).status_code == 404
    assert client.post(f"/accounts/two-step/passkeys/{theirs.pk}/remove/", {}).status_code == 404
    assert changed_tables(before, database_state()) == set()
    with pytest.raises(PermissionDenied):
        services.passkey_delete(actor=table.member, passkey_id=theirs.pk)
    assert WebAuthnCredential.objects.filter(pk=theirs.pk, name="Marker-theirs-5521").exists()


def test_a_failed_passkey_at_the_code_step_is_a_failed_login(client, table, passkeys_on):
    user = table.member
    passkey_for(user)
    login(client, user)
    assert client.post(BEGIN_AUTH).status_code == 200
    before = list(
        AccessAttempt.objects.filter(username=user.username).values_list("failures_since_start", flat=True)
    )
    failed = client.post(COMPLETE_AUTH, {"id": "nope"}, content_type="application/json")
    assert failed.status_code >= 400
    after = AccessAttempt.objects.get(username=user.username).failures_since_start
    assert after == (max(before) if before else 0) + 1
    assert client.get(HOME).status_code == 302  # still owes the step


def test_passwordless_sign_in_is_off(client, table, passkeys_on):
    refused = client.post(BEGIN_AUTH)
    assert refused.status_code in (302, 403)


def test_a_passkey_only_login_gets_no_token_with_the_password_alone(client, table, passkeys_on):
    user = table.member
    passkey_for(user)
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 400 and "passkey" in str(response.json())


def test_turning_it_off_and_the_operators_reset_remove_the_passkeys_too(table, passkeys_on):
    user = table.member
    enrol(user)
    passkey_for(user)
    services.two_factor_disable(actor=user, password=PASSWORD)
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    passkey_for(user)
    services.two_factor_reset(actor=None, user=user)
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_a_login_a_rule_covers_may_set_up_a_passkey_instead_of_an_app(client, table, passkeys_on, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS = True
    login(client, table.facilitator)
    assert client.get(HOME)["Location"].startswith("/accounts/two-step/set-up/")
    body = client.get("/accounts/two-step/set-up/").content.decode()
    assert 'id="passkey-register-button"' in body and "otp_webauthn_register.js" in body
    assert client.post(BEGIN_REGISTER).status_code == 200
    assert client.get(HOME).status_code == 302  # beginning is not finishing
