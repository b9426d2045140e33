"""A session that owes the second step reaches nothing a password alone should not: no new authenticator to
pay the step with, and no restricted record through a public page that reads the user (found by review)."""

import pytest

from commonground.core.tlp import TLP
from commonground.incidents.services.alerts import alert_issue
from commonground.incidents.tests.alerting import make_incident

from .test_twofactor_passkeys import passkey_for, passkeys_on  # noqa: F401  (the fixture)
from .twofactor_helpers import code_for, enrol, login

pytestmark = pytest.mark.django_db

HOME, ENROL, VERIFY = "/my-work/", "/accounts/two-step/set-up/", "/accounts/two-step/code/"
MARKER = "OWED-STEP-AMBER-7731"


def test_a_password_alone_cannot_enrol_an_app_over_a_passkey(client, table, passkeys_on):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = table.cochair
    passkey_for(user)
    login(client, user)
    assert client.get(HOME)["Location"].startswith(VERIFY)
    answer = client.get(ENROL)
    assert answer.status_code == 302 and answer["Location"].startswith(VERIFY)
    session = client.session
    session["twofactor_pending_key"] = "ab" * 20
    session.save()
    assert client.post(ENROL, {"code": code_for("ab" * 20)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert client.get("/api/v1/communities/").status_code == 403


def test_a_session_owing_the_code_reads_the_public_feeds_as_a_visitor(client, table):
    amber = make_incident(table, number=3, tlp=TLP.AMBER, hazard="hazmat_release", title=f"Leak {MARKER}")
    alert = alert_issue(incident=amber, msg_type="Alert")
    enrol(table.cochair)
    login(client, table.cochair)
    assert client.get(HOME)["Location"].startswith(VERIFY)
    for path in ("/c/riverbend/alerts.atom", f"/alerts/{alert.pk}.xml"):
        response = client.get(path)
        assert MARKER.encode() not in response.content, path


def test_a_user_with_no_second_step_still_reads_the_feed_as_themself(client, table):
    amber = make_incident(table, number=3, tlp=TLP.AMBER, hazard="hazmat_release", title=f"Leak {MARKER}")
    alert_issue(incident=amber, msg_type="Alert")
    login(client, table.cochair)
    assert MARKER.encode() in client.get("/c/riverbend/alerts.atom").content
