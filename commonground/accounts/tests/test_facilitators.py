import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from commonground.accounts.services import facilitator_add
from commonground.core.models import AuditEntry
from commonground.core.testing import database_state
from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_createsuperuser_makes_the_operator_a_facilitator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-operator-password")
    call_command("createsuperuser", "--noinput", "--username", "operator", "--email", "op@example.org")
    operator = User.objects.get(username="operator")
    assert (
        operator.is_facilitator and operator.is_superuser and operator.check_password("an-operator-password")
    )


def test_facilitator_add_creates_the_login_and_mails_a_link_that_sets_its_password(client):
    call_command("facilitator", "add", "New.Person@Example.org")
    user = User.objects.get(email__iexact="new.person@example.org")
    assert user.is_facilitator and not user.has_usable_password()
    assert AuditEntry.objects.filter(object_id=str(user.pk), actor_repr="system").exists()
    [message] = mail.outbox
    assert message.to == [user.email]
    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-long-password", "new_password2": "a-fresh-long-password"},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/accounts/password/reset/done/"
    login = client.post("/accounts/login/", {"username": user.username, "password": "a-fresh-long-password"})
    assert login.status_code == 302
    # The link works once.
    assert not client.get(link_in(message), follow=True).context["validlink"]


def test_facilitator_add_names_an_existing_login_by_its_email():
    member = UserFactory(email="member@example.org")
    call_command("facilitator", "add", "MEMBER@example.org")
    member.refresh_from_db()
    assert member.is_facilitator and member.check_password("a-long-test-password")
    assert len(mail.outbox) == 1


def test_facilitator_add_refuses_a_bad_address_and_changes_nothing():
    before = database_state()
    with pytest.raises(CommandError, match="valid e-mail"):
        call_command("facilitator", "add", "not-an-address")
    assert database_state() == before and not mail.outbox


def test_only_a_facilitator_may_name_another():
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        facilitator_add(actor=member, email="x@example.org")
    assert not User.objects.filter(email="x@example.org").exists()


def test_facilitator_remove_takes_the_role_and_keeps_the_login():
    UserFactory(is_facilitator=True)
    leaving = UserFactory(is_facilitator=True, email="leaving@example.org")
    call_command("facilitator", "remove", "leaving@example.org")
    leaving.refresh_from_db()
    assert not leaving.is_facilitator and leaving.is_active
    assert AuditEntry.objects.filter(
        object_id=str(leaving.pk), changes__is_facilitator=[True, False]
    ).exists()


def test_removing_the_last_active_facilitator_is_refused_and_changes_nothing():
    last = UserFactory(is_facilitator=True, email="last@example.org")
    UserFactory(is_facilitator=True, is_active=False)  # a deactivated one does not count
    before = database_state()
    with pytest.raises(CommandError, match="last active facilitator"):
        call_command("facilitator", "remove", "last@example.org")
    assert database_state() == before
    last.refresh_from_db()
    assert last.is_facilitator


def test_removing_someone_who_is_no_facilitator_is_refused():
    UserFactory(email="member@example.org")
    with pytest.raises(CommandError, match="No facilitator"):
        call_command("facilitator", "remove", "member@example.org")
