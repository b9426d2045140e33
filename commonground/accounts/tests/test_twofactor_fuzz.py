"""Fuzzing the two-step sign-in pages: any form sent to any of them is a page or a redirect, never a server
error, and leaves the authenticator, the recovery codes and the session's standing as they were."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given, settings
from hypothesis import strategies as st

from .twofactor_helpers import enrol, login, recovery_codes

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=25)
PAGES = [
    "/accounts/two-step/code/",
    "/accounts/two-step/set-up/",
    "/accounts/two-step/recovery-codes/new/",
    "/accounts/two-step/turn-off/",
    "/accounts/two-step/recovery-codes/download/",
]
text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="0123456789 -", max_size=12),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)
forms = st.dictionaries(st.sampled_from(["code", "password", "next", "extra"]), text, max_size=4)


@pytest.fixture
def enrolled(table):
    key, codes = enrol(table.member)
    return table.member, key, codes


@HYPOTHESIS
@given(path=st.sampled_from(PAGES), form=forms)
def test_any_form_to_the_code_step_pages_changes_nothing(enrolled, path, form):
    user, key, codes = enrolled
    # The examples share one database transaction: forget earlier examples' wrong codes, or the fifth
    # locks the account out (a 429, as it should) and later examples test the lock-out, not the form.
    AccessAttempt.objects.all().delete()
    client = Client()
    login(client, user)
    device = TOTPDevice.objects.get(user=user)
    form = {name: value.replace("\x00", "") for name, value in form.items()}
    response = client.post(path, form)
    assert response.status_code in (200, 302, 400), response.status_code
    # Unverified before and after: nothing here is taken for the code but the code.
    assert client.get("/my-work/").status_code == 302
    fresh = TOTPDevice.objects.get(pk=device.pk)
    assert (fresh.key, fresh.confirmed) == (device.key, device.confirmed)
    assert recovery_codes(user) == set(codes)


@HYPOTHESIS
@given(path=st.sampled_from(PAGES[1:]), form=forms)
def test_any_form_to_a_verified_sessions_pages_is_an_answer(enrolled, path, form, client):
    user, key, codes = enrolled
    client.force_login(user)
    session = client.session  # verified, as the code step leaves it
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    assert client.get("/my-work/").status_code == 200
    form = {name: value.replace("\x00", "") for name, value in form.items() if name != "password"}
    response = client.post(path, form)
    assert response.status_code in (200, 302, 400), response.status_code
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert recovery_codes(user) == set(codes)
