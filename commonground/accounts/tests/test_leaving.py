"""Leaving: a person removed, an organization leaving a table, a login deactivated. Each ends the access at
once (sessions, tokens), hands the tasks back ownerless, takes the people off TLP:RED records and tells the
records' admins by mail; every change audited, every refusal leaving the database as it was."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from commonground.accounts.models import ApiToken, SignedInSession
from commonground.accounts.services import token_create, user_deactivate
from commonground.accounts.services.sessions import session_store
from commonground.communities.models import Membership
from commonground.communities.services import membership_remove
from commonground.communities.tests.factories import CommunityFactory, MembershipFactory
from commonground.core.models import AuditEntry
from commonground.core.testing import changed_tables, database_state
from commonground.core.tlp import TLP
from commonground.registry.models import Person
from commonground.registry.services import organization_delete, person_delete
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory
from commonground.sustainability.models import Goal, Task

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
FAR = datetime.date(2099, 1, 1)
MARKER = "RED-MARKER-7f3a"


def log_in(user) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def refused_page(client) -> bool:
    response = client.get("/accounts/profile/")
    return response.status_code == 302 and response.headers["Location"].startswith("/accounts/login/")


def entries(model) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)))


@pytest.fixture
def held(table, mail_at_once):
    """The member: signed in, holding a token, owning a task, named on a TLP:RED resource of the public org."""
    member = table.member
    browser = log_in(member)
    _token, key = token_create(actor=member, user=member, name="script")
    goal = Goal.objects.create(community=table.community, statement="Plans", measure="m", target_date=FAR)
    task = Task.objects.create(goal=goal, title="Check the generators", owner_organization=table.private_org,
                               owner_person=member.person, due_on=FAR)  # fmt: skip
    red = ResourceFactory(community=table.community, organization=table.public_org, tlp=TLP.RED, name=MARKER)
    red.recipient_people.set([member.person, table.other_admin.person])
    return {"browser": browser, "key": key, "task": task, "red": red}


def test_a_person_moved_to_another_organization_leaves_the_old_one(table, held):
    from commonground.registry.services import person_update

    moved = person_update(
        actor=table.facilitator, person=table.member.person, data={"organization": table.public_org}
    )
    assert moved.organization == table.public_org
    assert refused_page(held["browser"]) and api_answers(held["key"]) == 401
    task = Task.objects.get(pk=held["task"].pk)
    assert task.owner_person is None and task.owner_organization == table.private_org
    assert list(held["red"].recipient_people.all()) == [table.other_admin.person]


def api_answers(key: str) -> int:
    return APIClient().get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_removed_person_loses_access_at_once_and_everything_is_audited(table, held):
    person = table.member.person
    key = held["browser"].session.session_key
    person_delete(actor=table.admin, person=person)
    assert refused_page(held["browser"]) and not session_store()().exists(key)
    assert api_answers(held["key"]) == 401
    assert not SignedInSession.objects.filter(user=table.member).exists()
    assert not ApiToken.objects.filter(user=table.member, revoked_at__isnull=True).exists()
    task = Task.objects.get(pk=held["task"].pk)
    assert task.owner_person is None and task.owner_organization == table.private_org
    assert list(held["red"].recipient_people.all()) == [table.other_admin.person]
    handed = [e for e in entries(Task) if e.action == "update"]
    assert len(handed) == 1 and handed[0].actor == table.admin and "owner_person" in handed[0].changes
    reviewed = [e for e in entries(Resource) if e.action == "update"]
    assert len(reviewed) == 1 and reviewed[0].actor == table.admin
    assert reviewed[0].changes["recipient_people"][1] == [table.other_admin.person.pk]
    assert len(entries(SignedInSession)) == 1 and len(entries(ApiToken)) == 2  # made, then revoked
    # The login stays, a former member's: it signs in again and sees nothing of the table.
    assert table.member.__class__.objects.get(pk=table.member.pk).is_active
    again = log_in(table.member)
    assert again.get("/c/riverbend/").status_code == 404


def test_the_records_admins_are_told_by_mail_naming_no_red_content(
    table, held, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_delete(actor=table.admin, person=table.member.person)
    told = [m for m in mail.outbox if "TLP:RED" in m.subject]
    assert len(told) == 1
    admins = set(
        Person.objects.filter(organization=table.public_org, role="admin").values_list("email", flat=True)
    )
    assert set(told[0].to) == admins - {""}
    assert f"/resources/{held['red'].pk}/" in told[0].body
    assert MARKER not in told[0].body and MARKER not in told[0].subject
    # Who a TLP:RED resource named is for its named people only: the admins are not told who left it.
    leaver = table.member.person
    assert leaver.last_name not in told[0].body and leaver.email not in told[0].body


def test_an_admin_of_another_organization_may_not_remove_a_person_and_nothing_changes(table, held):
    before = database_state()
    with pytest.raises(PermissionDenied):
        person_delete(actor=table.other_admin, person=table.member.person)
    assert not changed_tables(before, database_state())
    assert not refused_page(held["browser"]) and api_answers(held["key"]) == 200


def test_an_organization_leaving_a_table_loses_that_table_only(table, held):
    other = CommunityFactory(slug="lakeside")
    MembershipFactory(community=other, organization=table.private_org)
    other_goal = Goal.objects.create(community=other, statement="Other", measure="m", target_date=FAR)
    kept = Task.objects.create(goal=other_goal, title="Kept", owner_organization=table.private_org,
                               owner_person=table.member.person, due_on=FAR)  # fmt: skip
    elsewhere = ResourceFactory(community=other, organization=table.private_org, tlp=TLP.RED)
    elsewhere.recipient_people.set([table.member.person])
    membership = Membership.objects.get(community=table.community, organization=table.private_org)
    membership_remove(actor=table.cochair, membership=membership)
    assert refused_page(held["browser"])  # sessions end: signing in again is cheap
    assert api_answers(held["key"]) == 200  # the organization sits elsewhere: its tokens stay
    task = Task.objects.get(pk=held["task"].pk)
    assert task.owner_organization is None and task.owner_person is None
    assert Task.objects.get(pk=kept.pk).owner_person == table.member.person
    assert list(held["red"].recipient_people.all()) == [table.other_admin.person]
    assert list(elsewhere.recipient_people.all()) == [table.member.person]
    again = log_in(table.member)
    assert again.get("/c/riverbend/").status_code == 404 and again.get("/c/lakeside/").status_code == 200


def test_an_organization_leaving_its_last_table_loses_its_tokens_too(table, held):
    membership = Membership.objects.get(community=table.community, organization=table.private_org)
    membership_remove(actor=table.cochair, membership=membership)
    assert api_answers(held["key"]) == 401


def test_an_organization_deleted_hands_its_tasks_back_audited(table, held):
    organization_delete(actor=table.facilitator, organization=table.private_org)
    task = Task.objects.get(pk=held["task"].pk)
    assert task.owner_organization is None and task.owner_person is None
    assert any(e.action == "update" and e.actor == table.facilitator for e in entries(Task))
    assert refused_page(held["browser"]) and api_answers(held["key"]) == 401


def test_a_deactivated_login_is_refused_at_its_next_request(table, held):
    user_deactivate(actor=table.facilitator, user=table.member)
    table.member.refresh_from_db()
    assert not table.member.is_active
    assert refused_page(held["browser"]) and api_answers(held["key"]) == 401
    assert Person.objects.filter(pk=table.member.person.pk).exists()  # the organization keeps its contact
    assert Task.objects.get(pk=held["task"].pk).owner_person is None
    assert list(held["red"].recipient_people.all()) == [table.other_admin.person]
    changed = [e for e in AuditEntry.objects.filter(object_id=str(table.member.pk), action="update")
               if e.content_type.model == "user"]  # fmt: skip
    assert changed and changed[0].changes["is_active"] == [True, False]
    assert (
        Client()
        .post("/accounts/login/", {"username": table.member.username, "password": PASSWORD})
        .status_code
        == 200
    )


def test_django_refuses_an_inactive_users_session_and_token_even_left_in_place(table):
    browser = log_in(table.member)
    _token, key = token_create(actor=table.member, user=table.member, name="script")
    type(table.member).objects.filter(pk=table.member.pk).update(is_active=False)  # behind the services' back
    assert refused_page(browser) and api_answers(key) == 401


@pytest.mark.parametrize("role", ["cochair", "admin", "member", "outsider"])
def test_only_a_facilitator_deactivates_and_a_refusal_changes_nothing(table, role):
    before = database_state()
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=table.user(role), user=table.other_admin)
    assert not changed_tables(before, database_state())
    page = Client()
    page.force_login(table.user(role))
    before = database_state()
    assert page.post(f"/accounts/users/{table.other_admin.pk}/deactivate/").status_code == 403
    assert not changed_tables(before, database_state())


def test_a_facilitator_may_not_deactivate_themself_or_the_last_facilitator(table):
    before = database_state()
    with pytest.raises(ValidationError):
        user_deactivate(actor=table.facilitator, user=table.facilitator)
    with pytest.raises(ValidationError):
        user_deactivate(actor=None, user=table.facilitator)
    assert not changed_tables(before, database_state())


def test_the_page_action_deactivates_and_shows_on_the_persons_page(table, held):
    page = Client()
    page.force_login(table.facilitator)
    edit = page.get(f"/people/{table.member.person.pk}/edit/").content.decode()
    assert f"/accounts/users/{table.member.pk}/deactivate/" in edit
    response = page.post(f"/accounts/users/{table.member.pk}/deactivate/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/my-work/"
    table.member.refresh_from_db()
    assert not table.member.is_active and refused_page(held["browser"])
    assert (
        f"/accounts/users/{table.member.pk}/deactivate/"
        not in page.get(f"/people/{table.member.person.pk}/edit/").content.decode()
    )


def test_the_command_deactivates_by_email_and_fails_clearly_on_an_unknown_one(table, held):
    with pytest.raises(CommandError, match="No login has the e-mail address nobody@example.org"):
        call_command("user", "deactivate", "nobody@example.org")
    with pytest.raises(CommandError, match="valid e-mail"):
        call_command("user", "deactivate", "not-an-address")
    call_command("user", "deactivate", table.member.email)
    table.member.refresh_from_db()
    assert not table.member.is_active and refused_page(held["browser"])
    with pytest.raises(CommandError, match="already deactivated"):
        call_command("user", "deactivate", table.member.email)


@settings(max_examples=25)
@given(pk=st.integers(min_value=0, max_value=10**30), back=st.text(max_size=80))
def test_the_deactivate_page_answers_any_id_and_next_without_a_server_error(table, pk, back):
    """The new endpoint, fuzzed: a facilitator gets a redirect (or 404 for no such login) and a safe target;
    anyone else a 403 and nothing changed."""
    assume(pk != table.outsider.pk)  # the refused reader stays signed in from one example to the next
    facilitator, member = Client(), Client()
    facilitator.force_login(table.facilitator)
    member.force_login(table.outsider)
    before = database_state()
    refused = member.post(f"/accounts/users/{pk}/deactivate/", {"next": back})
    assert refused.status_code == 403 and not changed_tables(before, database_state())
    answer = facilitator.post(f"/accounts/users/{pk}/deactivate/", {"next": back})
    assert answer.status_code in (302, 404)
    if answer.status_code == 302:
        assert answer.headers["Location"].startswith("/") and not answer.headers["Location"].startswith("//")
