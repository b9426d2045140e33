"""Which e-mails a user receives: one rule (`selectors.wants_mail`), asked by every task that mails people."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from commonground.accounts.choices import MANDATORY, MailKind
from commonground.accounts.selectors import addresses_wanting, recipients_wanting, wants_mail
from commonground.agenda.models import Comment
from commonground.agenda.notifications import comment_added
from commonground.agenda.tests.factories import propose
from commonground.core.tlp import TLP
from commonground.incidents.services.alerts import alert_issue
from commonground.incidents.tasks import alert_recipients
from commonground.incidents.tests.alerting import make_incident
from commonground.registry.tests.factories import UserFactory
from commonground.resources.reminders import remind_stale_resources
from commonground.sustainability import services
from commonground.sustainability.reminders import remind_tasks
from commonground.sustainability.tasks import assignment_recipient

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def turn_off(user, *kinds):
    user.mail_unwanted = [str(kind) for kind in kinds]
    user.save()


def test_a_kind_turned_off_is_not_wanted_and_a_mandatory_kind_always_is():
    user = UserFactory(mail_unwanted=["reminders", "incident_assignments"])
    assert not wants_mail(user, MailKind.REMINDERS) and wants_mail(user, MailKind.TASK_ASSIGNED)
    assert all(wants_mail(user, kind) for kind in MANDATORY)
    assert recipients_wanting(MailKind.REMINDERS, [user, None]) == [None]
    assert recipients_wanting(MailKind.REMINDERS, [(user, "a@example.org")]) == []
    with pytest.raises(ValueError):
        recipients_wanting("no such kind", [user])


def test_addresses_are_matched_to_logins_by_their_own_address_or_their_persons(table):
    turn_off(table.member, MailKind.REMINDERS)
    person_address = table.member.person.email
    assert addresses_wanting(MailKind.REMINDERS, [person_address.upper(), "stranger@example.org"]) == [
        "stranger@example.org"
    ]
    assert addresses_wanting(MailKind.REMINDERS, [table.member.email]) == []
    assert addresses_wanting(MailKind.TASK_ASSIGNED, [person_address]) == [person_address]


def test_a_task_owner_who_turned_it_off_is_not_told_of_a_new_task(table):
    from commonground.sustainability.models import Goal

    goal = Goal.objects.create(community=table.community, statement="P", measure="m",
                               target_date=datetime.date(2099, 1, 1))  # fmt: skip
    task = services.task_create(actor=table.cochair, goal=goal, title="T", due_on=datetime.date(2099, 1, 1),
                                owner_organization=table.private_org, owner_person=table.member.person)  # fmt: skip
    assert assignment_recipient(task)
    turn_off(table.member, MailKind.TASK_ASSIGNED)
    task.owner_person.user.refresh_from_db()
    assert assignment_recipient(task) == ""


def test_reminders_skip_an_owner_who_turned_them_off(table):
    goal = services.goal_create(actor=table.cochair, community=table.community, statement="G", measure="M",
                                target_date=TODAY + datetime.timedelta(days=400))  # fmt: skip
    services.task_create(actor=table.cochair, goal=goal, title="Late", owner_organization=table.private_org,
                         owner_person=table.member.person, due_on=TODAY - datetime.timedelta(days=3))  # fmt: skip
    assert remind_tasks(today=TODAY, dry_run=True).mails == 1
    turn_off(table.member, MailKind.REMINDERS)
    assert remind_tasks(today=TODAY).mails == 0
    assert table.member.person.email not in {address for m in mail.outbox for address in m.to}


def test_stale_resource_reminders_skip_an_admin_who_turned_them_off(table):
    from commonground.resources.tests.factories import ResourceFactory

    ResourceFactory(organization=table.private_org, community=table.community,
                    verified_on=TODAY - datetime.timedelta(days=400))  # fmt: skip
    assert remind_stale_resources(today=TODAY, dry_run=True).mails == 1
    turn_off(table.admin, MailKind.REMINDERS)
    assert remind_stale_resources(today=TODAY).mails == 0
    assert table.admin.person.email not in {address for m in mail.outbox for address in m.to}


def test_issue_news_skips_who_turned_it_off(table):
    issue = propose(table, actor="member")
    assert issue.proposed_by == table.member.person
    comment = Comment(issue=issue, author=table.admin.person, body="A word")
    comment_added(comment)
    assert table.member.person.email in {address for m in mail.outbox for address in m.to}
    mail.outbox.clear()
    turn_off(table.member, MailKind.ISSUE_NEWS)
    comment_added(comment)
    assert table.member.person.email not in {address for m in mail.outbox for address in m.to}


def test_an_alert_skips_who_turned_alerts_off(table):
    alert = alert_issue(incident=make_incident(table, tlp=TLP.GREEN), msg_type="Alert")
    everyone = {user for user, _address in alert_recipients(alert)}
    turn_off(table.cochair, MailKind.INCIDENT_ALERTS)
    assert {user for user, _address in alert_recipients(alert)} == everyone - {table.cochair}


def test_the_incident_assignments_kind_cannot_be_turned_off(table):
    turn_off(table.admin, *MailKind)
    assert MailKind.INCIDENT_ASSIGNMENTS in MANDATORY
    assert recipients_wanting(MailKind.INCIDENT_ASSIGNMENTS, [(table.admin, "x")]) == [(table.admin, "x")]
