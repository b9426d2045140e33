"""Signed-in sessions: recorded at sign-in, listed on the profile, ended one by one or all but this one,
through the session store's own API (database and cache engines alike)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from commonground.accounts.models import SignedInSession
from commonground.accounts.services import sessions_end
from commonground.accounts.services.sessions import session_store
from commonground.core.models import AuditEntry
from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache",
           "django.contrib.sessions.backends.cached_db"]  # fmt: skip


@pytest.fixture(params=ENGINES)
def engine(request, settings, fresh_cache):
    settings.SESSION_ENGINE = request.param
    return request.param


def log_in(user, agent: str, address: str = "192.0.2.1") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def test_signing_in_records_the_session_and_the_profile_lists_it(engine):
    user = UserFactory()
    laptop = log_in(user, "Firefox on a laptop", "192.0.2.7")
    log_in(user, "Safari on a phone")
    row = SignedInSession.objects.get(user=user, user_agent="Firefox on a laptop")
    assert str(row.ip_address) == "192.0.2.7" and row.session_key == laptop.session.session_key
    page = laptop.get("/accounts/profile/").content.decode()
    assert "Firefox on a laptop" in page and "Safari on a phone" in page and "this browser" in page


def test_ending_the_others_signs_them_out_and_keeps_this_one(engine):
    user = UserFactory()
    laptop, phone, tablet = (log_in(user, agent) for agent in ("laptop", "phone", "tablet"))
    response = laptop.post("/accounts/sessions/end-others/")
    assert response.status_code == 302
    assert signed_in(laptop) and not signed_in(phone) and not signed_in(tablet)
    assert list(SignedInSession.objects.filter(user=user).values_list("user_agent", flat=True)) == ["laptop"]
    ended = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(SignedInSession))
    assert ended.count() == 2 and all(e.actor == user for e in ended)
    assert all("session_key" not in e.changes for e in ended)  # the key is as good as the session


def test_ending_one_session_by_its_id(engine):
    user = UserFactory()
    laptop, phone = log_in(user, "laptop"), log_in(user, "phone")
    row = SignedInSession.objects.get(user_agent="phone")
    assert laptop.post(f"/accounts/sessions/{row.pk}/end/").status_code == 302
    assert signed_in(laptop) and not signed_in(phone)
    assert not session_store()().exists(row.session_key)


def test_another_users_session_cannot_be_ended_or_seen(engine):
    victim, attacker = UserFactory(), UserFactory()
    victim_client = log_in(victim, "Victim's browser MARKER-7731")
    attacker_client = log_in(attacker, "attacker")
    row = SignedInSession.objects.get(user=victim)
    before = list(SignedInSession.objects.values_list("pk", "session_key", "last_seen").order_by("pk"))
    assert attacker_client.post(f"/accounts/sessions/{row.pk}/end/").status_code == 404
    assert "MARKER-7731" not in attacker_client.get("/accounts/profile/").content.decode()
    attacker_client.post("/accounts/sessions/end-others/")
    assert (
        list(SignedInSession.objects.values_list("pk", "session_key", "last_seen").order_by("pk")) == before
    )
    assert signed_in(victim_client)


def test_a_get_ends_nothing():
    user = UserFactory()
    laptop, phone = log_in(user, "laptop"), log_in(user, "phone")
    row = SignedInSession.objects.get(user_agent="phone")
    assert laptop.get(f"/accounts/sessions/{row.pk}/end/").status_code == 405
    assert laptop.get("/accounts/sessions/end-others/").status_code == 405
    assert signed_in(phone)


def test_logging_out_drops_the_row():
    user = UserFactory()
    laptop = log_in(user, "laptop")
    laptop.post("/accounts/logout/")
    assert not SignedInSession.objects.filter(user=user).exists()


def test_the_service_ends_every_session_for_leaving(engine):
    user = UserFactory()
    clients = [log_in(user, agent) for agent in ("a", "b")]
    assert sessions_end(user=user) == 2
    assert not any(signed_in(client) for client in clients)
    assert not SignedInSession.objects.filter(user=user).exists()


def test_a_session_kept_across_a_password_change_stays_listed_under_its_new_key():
    user = UserFactory()
    laptop = log_in(user, "laptop")
    laptop.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass",
            "new_password2": "another-long-pass",
        },
    )
    assert signed_in(laptop)
    row = SignedInSession.objects.get(user=user)
    assert row.session_key == laptop.session.session_key
