import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from commonground.sustainability import services
from commonground.sustainability.reminders import remind_needs, remind_tasks

# The mails go through the task queue (core.mail); here they are sent at once, as the worker sends them.
pytestmark = pytest.mark.usefixtures("mail_at_once")

TODAY = timezone.localdate()


def open_assessment(table):
    return services.needs_assessment_open(actor=table.cochair, community=table.community, title="2027 needs",
                                    opens_on=TODAY - datetime.timedelta(days=1), closes_on=TODAY + datetime.timedelta(days=30))  # fmt: skip


def test_organizations_that_have_not_answered_are_reminded_once_a_week(table):
    assessment = open_assessment(table)
    services.needs_answers_save(actor=table.cochair, assessment=assessment, organization=table.public_org,
                          answers=[{"item": assessment.items.first().pk, "level": 2, "importance": 4}])  # fmt: skip
    report = remind_needs(today=TODAY)
    assert (report.items, report.organizations, report.mails) == (1, 1, 1)
    [message] = mail.outbox
    assert message.to == [table.admin.person.email] and "Great Lakes Logistics" in message.subject
    assert message.body.startswith("TLP:GREEN") and f"/needs/{assessment.pk}/answer/" in message.body
    assert remind_needs(today=TODAY + datetime.timedelta(days=3)).mails == 0  # not again within the week
    assert remind_needs(today=TODAY + datetime.timedelta(days=7)).mails == 1


def test_a_closed_assessment_reminds_nobody_and_a_dry_run_sends_nothing(table):
    assessment = open_assessment(table)
    assert remind_needs(today=TODAY, dry_run=True).mails == 2 and not mail.outbox  # both organizations
    assert remind_needs(today=assessment.closes_on + datetime.timedelta(days=1)).items == 0


def test_owners_of_tasks_coming_due_or_overdue_are_reminded(table):
    goal = services.goal_create(actor=table.cochair, community=table.community, statement="G", measure="M",
                                target_date=TODAY + datetime.timedelta(days=400))  # fmt: skip
    soon = services.task_create(actor=table.cochair, goal=goal, title="Soon", owner_organization=table.private_org,
                                due_on=TODAY + datetime.timedelta(days=3))  # fmt: skip
    services.task_create(actor=table.cochair, goal=goal, title="Late", owner_organization=table.private_org,
                         owner_person=table.member.person, due_on=TODAY - datetime.timedelta(days=3))  # fmt: skip
    services.task_create(actor=table.cochair, goal=goal, title="Far off", owner_organization=table.private_org,
                         due_on=TODAY + datetime.timedelta(days=90))  # fmt: skip
    done = services.task_create(actor=table.cochair, goal=goal, title="Done", owner_organization=table.public_org,
                                due_on=TODAY - datetime.timedelta(days=1))  # fmt: skip
    services.task_progress(actor=table.cochair, task=done, status="done")
    report = remind_tasks(today=TODAY)
    assert (report.items, report.mails) == (2, 2)
    by_recipient = {tuple(m.to): m.body for m in mail.outbox}
    assert "OVERDUE since" in by_recipient[(table.member.person.email,)]  # the named owner
    assert "Soon" in by_recipient[(table.admin.person.email,)]  # else the organization's admins
    assert remind_tasks(today=TODAY + datetime.timedelta(days=1)).mails == 0
    soon.refresh_from_db()
    assert soon.reminded_on == TODAY


def test_the_commands_report_and_refuse_an_unknown_community(table):
    out = io.StringIO()
    with pytest.raises(CommandError, match="no community"):
        call_command("remind_tasks", community="nowhere")
    open_assessment(table)
    call_command("remind_needs", dry_run=True, stdout=out)
    assert "2 reminder(s) would be sent" in out.getvalue() and not mail.outbox


def test_reminders_read_each_community_s_own_today(table):
    """Run at any hour UTC, the reminder asks whether an assessment is open on its community's clock: Kiritimati
    (UTC+14) and Pago Pago (UTC-11) are always on different dates."""
    from commonground.communities.selectors import community_days
    from commonground.core.timezones import community_today

    table.community.time_zone, table.other_community.time_zone = "Pacific/Kiritimati", "Pacific/Pago_Pago"
    for community in (table.community, table.other_community):
        community.save(update_fields=["time_zone"])
    ahead = community_today(table.community)
    assert community_today(table.other_community) < ahead
    days = dict((str(q), day) for day, q in community_days())
    assert days["(AND: ('time_zone', 'Pacific/Kiritimati'))"] == ahead
    for community in (table.community, table.other_community):
        services.needs_assessment_open(actor=table.facilitator, community=community, title="Needs",
                                       opens_on=ahead, closes_on=ahead + datetime.timedelta(days=30))  # fmt: skip
    report = remind_needs(dry_run=True)
    assert report.items == 1  # open in Kiritimati today, not yet in Pago Pago
    assert remind_needs(community=table.other_community, dry_run=True).items == 0
