"""Two-step sign-in: enrolment, the code step after the password, recovery codes, turning it off."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonground.accounts.twofactor import services
from commonground.core.models import AuditEntry
from commonground.core.testing import changed_tables, database_state

from .twofactor_helpers import PASSWORD, code_for, enrol, login, recovery_codes

pytestmark = pytest.mark.django_db

ENROL, CODE, HOME = "/accounts/two-step/set-up/", "/accounts/two-step/code/", "/my-work/"


def two_factor_entries(user):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
        ).values_list("changes", flat=True)
    )


def test_enrolment_shows_a_qr_code_and_the_secret_and_a_right_code_turns_it_on(client, table):
    user = table.member
    client.force_login(user)
    page = client.get(ENROL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    key = client.session["twofactor_pending_key"]
    shown = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert shown == services.secret_base32(key).replace(" ", "")

    before = database_state()
    wrong = client.post(ENROL, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert changed_tables(before, database_state()) == set()

    done = client.post(ENROL, {"code": code_for(key)})
    assert done.status_code == 302 and done["Location"] == "/accounts/two-step/recovery-codes/"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    codes = client.get("/accounts/two-step/recovery-codes/").content.decode()
    assert len(recovery_codes(user)) == 10 and all(code in codes for code in recovery_codes(user))
    download = client.get("/accounts/two-step/recovery-codes/download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in recovery_codes(user))
    # Shown once: the overview forgets them.
    assert client.get("/accounts/two-step/").status_code == 200
    assert not any(
        code in client.get("/accounts/two-step/recovery-codes/").content.decode()
        for code in recovery_codes(user)
    )
    # The session that enrolled is verified; the audit log says so without the secret.
    assert client.get(HOME).status_code == 200
    assert {"two_factor": [False, True]} in two_factor_entries(user)
    assert key not in str(two_factor_entries(user))


def test_sign_in_asks_for_the_code_after_the_password(client, table):
    user = table.member
    key, _codes = enrol(user)
    response = login(client, user)
    assert response.status_code == 302
    # Signed in with the password only: every page sends to the code step, the API refuses the session.
    gate = client.get(HOME)
    assert gate.status_code == 302 and gate["Location"].startswith(CODE + "?next=")
    assert client.get("/api/v1/communities/").status_code == 403
    assert client.get(CODE).status_code == 200
    done = client.post(CODE, {"code": code_for(key, ahead=1), "next": HOME})
    assert done.status_code == 302 and done["Location"] == HOME
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/communities/").status_code == 200


def test_a_wrong_code_is_refused_counted_and_changes_nothing(client, table):
    user = table.member
    key, codes = enrol(user)
    login(client, user)
    device = TOTPDevice.objects.get(user=user)
    right = code_for(key, ahead=1)
    wrong = next(
        c for c in ("123456", "654321", "000001") if c not in (right, code_for(key), code_for(key, ahead=-1))
    )
    response = client.post(CODE, {"code": wrong}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert client.get(HOME).status_code == 302  # still not verified
    assert recovery_codes(user) == set(codes)
    fresh = TOTPDevice.objects.get(pk=device.pk)
    assert fresh.confirmed and fresh.key == device.key and fresh.throttling_failure_count == 1
    assert AccessAttempt.objects.filter(username=user.username).get().failures_since_start == 1


def test_wrong_codes_lock_the_sign_in_out(client, table, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = table.member
    enrol(user)
    login(client, user)
    statuses = [client.post(CODE, {"code": "99999x"}, REMOTE_ADDR="10.1.1.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(HOME)["Location"].startswith("/accounts/login/")  # logged out
    assert login(client, user).status_code == 429  # and the password is locked too


def test_a_recovery_code_works_once(client, table):
    user = table.member
    _key, codes = enrol(user)
    login(client, user)
    assert client.post(CODE, {"code": codes[0].upper()}).status_code == 302
    assert client.get(HOME).status_code == 200
    assert codes[0] not in recovery_codes(user) and len(recovery_codes(user)) == 9
    client.post("/accounts/logout/")
    login(client, user)
    again = client.post(CODE, {"code": codes[0]})
    assert again.status_code == 200 and client.get(HOME).status_code == 302


def test_new_recovery_codes_replace_the_old_and_are_audited(client, table):
    user = table.member
    key, old = enrol(user)
    client.force_login(user)
    # Signed in with the password only, the session owes the code step first.
    assert client.post("/accounts/two-step/recovery-codes/new/", {"code": old[0]})["Location"] == CODE
    client.post(CODE, {"code": code_for(key, ahead=1)})
    before = database_state()
    refused = client.post("/accounts/two-step/recovery-codes/new/", {"code": "bad-code"})
    assert refused.status_code == 200 and changed_tables(before, database_state()) == set()
    response = client.post("/accounts/two-step/recovery-codes/new/", {"code": old[0]})
    assert response.status_code == 302
    new = recovery_codes(user)
    assert len(new) == 10 and not new & set(old)
    assert {"recovery_codes": [9, 10]} in two_factor_entries(user)


def test_turning_it_off_needs_the_password_or_a_code(client, table):
    user = table.member
    key, _codes = enrol(user)
    login(client, user)
    client.post(CODE, {"code": code_for(key, ahead=1)})
    before = database_state()
    refused = client.post("/accounts/two-step/turn-off/", {"password": "not-it", "code": ""})
    assert refused.status_code == 200 and changed_tables(before, database_state()) == set()
    assert client.post("/accounts/two-step/turn-off/", {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists() and not StaticToken.objects.exists()
    assert {"two_factor": [True, False]} in two_factor_entries(user)
    client.post("/accounts/logout/")
    login(client, user)
    assert client.get(HOME).status_code == 200  # the password alone again


def test_an_outside_next_address_is_not_followed(client, table):
    user = table.member
    key, _codes = enrol(user)
    login(client, user)
    response = client.post(CODE, {"code": code_for(key, ahead=1), "next": "https://evil.example/"})
    assert response["Location"] == HOME


@pytest.mark.parametrize("code", ["", " ", "x" * 40, "１２３４５６", "12345\x00", "' OR 1=1 --", "<script>"])
def test_odd_codes_are_field_errors(client, table, code):
    user = table.member
    enrol(user)
    login(client, user)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert client.get(HOME).status_code == 302


def test_the_operator_turns_off_a_lost_authenticator(table):
    from django.core.management import CommandError, call_command

    user = table.member
    enrol(user)
    with pytest.raises(CommandError):
        call_command("twofactor", "reset", "nobody-here")
    call_command("twofactor", "reset", user.username)
    assert not TOTPDevice.objects.filter(user=user).exists() and not recovery_codes(user)
    assert {"two_factor": [True, False]} in two_factor_entries(user)
    with pytest.raises(CommandError):
        call_command("twofactor", "reset", user.username)  # nothing left to turn off


def test_only_a_facilitator_turns_off_anothers(table):
    from django.core.exceptions import PermissionDenied

    enrol(table.member)
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(actor=table.cochair, user=table.member)
    assert TOTPDevice.objects.filter(user=table.member).exists()
