"""A new e-mail address is confirmed by a signed, expiring link mailed to it; the old address is told."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.models import AuditEntry
from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGE = "/accounts/profile/email/"
PASSWORD = "a-long-test-password"  # the factories' users'


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/profile/email/\S+/)", message.body).group(1)


def test_the_address_changes_only_when_the_link_is_followed_and_the_old_one_is_told(mail_at_once):
    user = UserFactory(email="old@example.org")
    client = signed_in(user)
    response = client.post(CHANGE, {"email": "New@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    [message] = mail.outbox
    assert message.to == ["New@example.org"]
    user.refresh_from_db()
    assert user.email == "old@example.org"
    link = link_in(message)
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200 and b"New@example.org" in confirm_page.content
    user.refresh_from_db()
    assert user.email == "old@example.org"  # a GET changes nothing (mail scanners follow links)
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "New@example.org"
    notice = mail.outbox[1]
    assert notice.to == ["old@example.org"] and "New@example.org" in notice.body
    entry = AuditEntry.objects.filter(object_id=str(user.pk)).latest("pk")
    assert entry.changes["email"] == ["old@example.org", "New@example.org"]
    # The link works once.
    again = client.post(link)
    assert again.status_code == 200 and b"already used" in again.content


def test_an_old_link_does_not_work_again_when_the_address_comes_back(mail_at_once):
    user = UserFactory(email="a@example.org")
    client = signed_in(user)
    client.post(CHANGE, {"email": "b@example.org", "password": PASSWORD})
    to_b = link_in(mail.outbox[-1])
    assert client.post(to_b).status_code == 302
    client.post(CHANGE, {"email": "a@example.org", "password": PASSWORD})
    assert client.post(link_in(mail.outbox[-1])).status_code == 302
    user.refresh_from_db()
    assert user.email == "a@example.org"
    replay = client.post(to_b)  # a -> b again, from a link that names a as the old address
    assert replay.status_code == 200 and b"already used" in replay.content
    user.refresh_from_db()
    assert user.email == "a@example.org"


def test_the_mail_goes_through_the_task_queue(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(user).post(CHANGE, {"email": "queued@example.org", "password": PASSWORD})
    assert not mail.outbox
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "commonground.core.mail.mail_deliver"
    assert queued.args_kwargs["args"][0][0]["to"] == ["queued@example.org"]


def test_an_expired_link_changes_nothing(mail_at_once, settings):
    user = UserFactory(email="old@example.org")
    client = signed_in(user)
    client.post(CHANGE, {"email": "new@example.org", "password": PASSWORD})
    link = link_in(mail.outbox[0])
    later = __import__("time").time() + settings.EMAIL_CHANGE_MAX_AGE_HOURS * 3600 + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(link)
    assert response.status_code == 200 and b"expired" in response.content
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_another_users_link_or_a_tampered_one_changes_nothing(mail_at_once):
    user, other = UserFactory(email="old@example.org"), UserFactory(email="other@example.org")
    signed_in(user).post(CHANGE, {"email": "new@example.org", "password": PASSWORD})
    link = link_in(mail.outbox[0])
    assert signed_in(other).post(link).status_code == 200
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert b"not valid" in signed_in(user).post(tampered).content
    user.refresh_from_db(), other.refresh_from_db()
    assert (user.email, other.email) == ("old@example.org", "other@example.org")


def test_an_address_taken_meanwhile_is_refused_at_the_link(mail_at_once):
    user = UserFactory(email="old@example.org")
    client = signed_in(user)
    client.post(CHANGE, {"email": "new@example.org", "password": PASSWORD})
    UserFactory(email="new@example.org")
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "old@example.org"


@pytest.mark.parametrize(
    "email, error",
    [
        ("taken@example.org", "Another login"),
        ("TAKEN@example.org", "Another login"),
        ("mine@example.org", "already your"),
        ("not an address", "valid"),
        ("", "required"),
        ("a@" + "b" * 300 + ".org", "254"),
    ],
)
def test_a_bad_or_taken_address_is_a_field_error_and_sends_nothing(mail_at_once, email, error):
    UserFactory(email="taken@example.org")
    user = UserFactory(email="mine@example.org")
    response = signed_in(user).post(CHANGE, {"email": email, "password": PASSWORD})
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors.get("email", []))
    assert not mail.outbox
    user.refresh_from_db()
    assert user.email == "mine@example.org"


@settings(max_examples=25)
@given(email=st.text(max_size=80))
def test_any_text_as_an_address_is_a_field_error_or_a_mail_never_a_change(mail_at_once, email):
    mail.outbox.clear()
    user = UserFactory(email="mine@example.org")
    response = signed_in(user).post(CHANGE, {"email": email, "password": PASSWORD})
    assert response.status_code in (200, 302)
    assert (response.status_code == 302) == bool(mail.outbox)
    user.refresh_from_db()
    assert user.email == "mine@example.org"


def test_a_wrong_password_changes_nothing_and_sends_nothing(mail_at_once):
    user = UserFactory(email="mine@example.org")
    response = signed_in(user).post(CHANGE, {"email": "thief@example.org", "password": "not-it"})
    assert response.status_code == 200
    assert "not your password" in " ".join(response.context["form"].errors["password"])
    assert not mail.outbox
    user.refresh_from_db()
    assert user.email == "mine@example.org"
