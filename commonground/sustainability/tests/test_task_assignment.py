"""A task's new owner is told by e-mail, through the task queue after the commit, and only if they may see it;
the owner select groups people by organization."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commonground.communities.models import Membership
from commonground.registry.tests.factories import PersonFactory, UserFactory
from commonground.sustainability import services
from commonground.sustainability.models import Goal, Task

pytestmark = pytest.mark.django_db
FAR = datetime.date(2099, 1, 1)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def goal(table):
    return Goal.objects.create(community=table.community, statement="Plans", measure="m", target_date=FAR)


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = IMMEDIATE


def hand_out(table, goal, person, capture, **data) -> Task:
    with capture(execute=True):
        return services.task_create(actor=table.cochair, goal=goal, title="Write the plan", due_on=FAR,
                                    owner_organization=person.organization, owner_person=person, **data)  # fmt: skip


def test_the_owner_is_mailed_when_a_task_is_handed_to_them(table, goal, django_capture_on_commit_callbacks):
    person = table.member.person
    task = hand_out(table, goal, person, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email or table.member.email]
    assert message.subject.startswith("[TLP:GREEN] Riverbend: a task is yours")
    assert f"http://testserver/tasks/{task.pk}/" in message.body and "Write the plan" in message.body


def test_the_mail_waits_for_the_commit_and_goes_through_the_queue(
    table, goal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.task_create(actor=table.cochair, goal=goal, title="T", due_on=FAR,
                             owner_organization=table.private_org, owner_person=table.member.person)  # fmt: skip
    # Nothing is sent before the commit (the dashboard's new progress token waits for it too).
    assert callbacks and not mail.outbox
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_changing_the_owner_mails_the_new_one_and_other_changes_mail_nobody(
    table, goal, django_capture_on_commit_callbacks
):
    task = hand_out(table, goal, table.member.person, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.task_update(
            actor=table.cochair, task=Task.objects.get(pk=task.pk), data={"title": "Renamed"}
        )
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        services.task_update(actor=table.cochair, task=Task.objects.get(pk=task.pk),
                             data={"owner_person": table.admin.person})  # fmt: skip
    assert [m.to for m in mail.outbox] == [[table.admin.person.email or table.admin.email]]


def test_nobody_who_may_not_see_the_task_is_mailed(table, goal, django_capture_on_commit_callbacks):
    """A contact without a login, a login turned off, and an owner whose organization left before the worker ran."""
    contact = PersonFactory(organization=table.private_org, user=None, email="contact@example.org")
    hand_out(table, goal, contact, django_capture_on_commit_callbacks)
    retired = UserFactory(is_active=False)
    hand_out(
        table,
        goal,
        PersonFactory(organization=table.private_org, user=retired),
        django_capture_on_commit_callbacks,
    )
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.task_create(actor=table.cochair, goal=goal, title="T", due_on=FAR,
                             owner_organization=table.private_org, owner_person=table.member.person)  # fmt: skip
    Membership.objects.filter(organization=table.private_org).delete()
    for callback in callbacks:
        callback()
    assert not mail.outbox


def test_a_refused_assignment_mails_nobody_and_writes_nothing(
    table, goal, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        services.task_create(actor=table.member, goal=goal, title="T", due_on=FAR,
                             owner_organization=table.private_org, owner_person=table.member.person)  # fmt: skip
    assert not mail.outbox and not Task.objects.exists()


def test_the_owner_select_groups_people_by_organization_once_each(client, table, goal):
    PersonFactory.create_batch(3, organization=table.public_org)
    client.force_login(table.cochair)
    response = client.get(f"/goals/{goal.pk}/tasks/new/")
    assert response.status_code == 200
    select = response.content.decode().split('name="owner_person"')[1].split("</select>")[0]
    assert (
        '<optgroup label="Great Lakes Logistics">' in select and '<optgroup label="Riverbend Fire">' in select
    )
    assert select.index("Great Lakes Logistics") < select.index("Riverbend Fire")
    people = list(table.public_org.people.all()) + list(table.private_org.people.all())
    for person in people:
        assert select.count(f'value="{person.pk}"') == 1
    assert "Elsewhere Bakery" not in select


def test_a_person_chosen_from_a_group_is_saved(client, table, goal):
    client.force_login(table.cochair)
    response = client.post(f"/goals/{goal.pk}/tasks/new/", {
        "title": "Grouped", "owner_organization": table.private_org.pk,
        "owner_person": table.member.person.pk, "due_on": "2099-01-01",
    })  # fmt: skip
    assert response.status_code == 302
    assert Task.objects.get(title="Grouped").owner_person == table.member.person


def test_the_edit_form_keeps_the_owner_chosen(client, table, goal):
    task = Task.objects.create(goal=goal, title="Kept", owner_organization=table.private_org,
                               owner_person=table.member.person, due_on=FAR)  # fmt: skip
    client.force_login(table.cochair)
    body = client.get(f"/tasks/{task.pk}/edit/").content.decode()
    select = body.split('name="owner_person"')[1].split("</select>")[0]
    assert f'<option value="{table.member.person.pk}" selected>' in select
