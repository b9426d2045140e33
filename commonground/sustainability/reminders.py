"""Remind organizations of an open needs assessment they have not answered, and owners of tasks coming due.

Run daily by cron or a timer (`commonground remind_needs`, `commonground remind_tasks`). Each reminder
repeats at most every NEEDS_REMINDER_DAYS or TASK_REMINDER_DAYS days. The commands write the mails and the
task queue sends them (core.mail), once the reminder dates are saved. What the mails say is shared with
the whole table (an assessment's title, a task of the partnership's plan), so they are TLP:GREEN.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import addresses_wanting
from commonground.communities.models import Community
from commonground.communities.selectors import community_days
from commonground.core.mail import mail_enqueue, mail_message
from commonground.core.tlp import TLP
from commonground.registry.choices import PersonRole
from commonground.registry.models import Organization, Person

from .choices import TaskStatus
from .models import NeedsAnswer, NeedsAssessment, Task


@dataclass
class ReminderReport:
    items: int = 0  # assessments, or tasks
    organizations: int = 0
    mails: int = 0

    def __add__(self, other: ReminderReport) -> ReminderReport:
        return ReminderReport(
            self.items + other.items, self.organizations + other.organizations, self.mails + other.mails
        )


def _admins(organizations) -> dict[int, tuple[str, list[str]]]:
    """Return {organization id: (its name, its admins' addresses)} for a queryset of organizations (a subquery)."""
    found: dict[int, tuple[str, list[str]]] = {}
    admins = Person.objects.filter(organization__in=organizations, role=PersonRole.ADMIN).exclude(email="")
    rows = admins.order_by("organization__name", "organization_id", "pk").values_list(
        "organization_id", "organization__name", "email"
    )
    wanted = set(addresses_wanting(MailKind.REMINDERS, [email for _id, _name, email in rows]))
    for organization_id, name, email in rows:
        if email in wanted:
            found.setdefault(organization_id, (name, []))[1].append(email)
    return found


def _quiet(field: str, days: int, today: datetime.date) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": today - datetime.timedelta(days=days)})


@transaction.atomic
def remind_needs(
    *, community=None, today: datetime.date | None = None, dry_run: bool = False
) -> ReminderReport:
    """Mail the admins of each organization at the table that has not answered an open needs assessment
    (open on its community's own today)."""
    report = ReminderReport()
    for day, communities in community_days(community=community, today=today):
        report += _remind_needs_on(day, Community.objects.filter(communities), dry_run=dry_run)
    return report


def _remind_needs_on(today: datetime.date, communities, *, dry_run: bool) -> ReminderReport:
    assessments = NeedsAssessment.objects.filter(
        opens_on__lte=today, closes_on__gte=today, community__in=communities
    )
    assessments = assessments.filter(_quiet("reminded_on", settings.NEEDS_REMINDER_DAYS, today))
    report = ReminderReport()
    messages = []
    site = settings.SITE_URL.rstrip("/")
    for assessment in assessments.select_related("community"):
        answered = (
            NeedsAnswer.objects.submitted().filter(item__assessment=assessment).values("organization_id")
        )
        waiting = Organization.objects.in_community(assessment.community).exclude(pk__in=answered)
        admins = _admins(waiting.values("pk"))
        report.items += 1
        report.organizations += waiting.count()
        url = site + reverse("sustainability:answer", args=[assessment.pk])
        for organization, recipients in admins.values():
            report.mails += 1
            if dry_run:
                continue
            messages.append(
                mail_message(
                    subject=_(
                        "[%(marking)s] %(community)s: the needs assessment is waiting for %(organization)s"
                    )
                    % {"marking": TLP.GREEN, "community": assessment.community, "organization": organization},
                    body=render_to_string(
                        "sustainability/email/needs_reminder.txt",
                        {
                            "assessment": assessment,
                            "organization": organization,
                            "url": url,
                            "marking": TLP.GREEN,
                        },
                    ),
                    to=recipients,
                )
            )
        if not dry_run:
            NeedsAssessment.objects.filter(pk=assessment.pk).update(reminded_on=today)
    mail_enqueue(messages)
    return report


@transaction.atomic
def remind_tasks(
    *, community=None, today: datetime.date | None = None, dry_run: bool = False
) -> ReminderReport:
    """Mail each open task coming due (or overdue, on its community's own today) to its owner, or else to its
    organization's admins."""
    report = ReminderReport()
    for day, communities in community_days(community=community, today=today):
        report += _remind_tasks_on(day, Community.objects.filter(communities), dry_run=dry_run)
    return report


def _remind_tasks_on(today: datetime.date, communities, *, dry_run: bool) -> ReminderReport:
    horizon = today + datetime.timedelta(days=settings.TASK_REMINDER_AHEAD_DAYS)
    tasks = (
        Task.objects.exclude(status=TaskStatus.DONE)
        .filter(due_on__lte=horizon, owner_organization__isnull=False)
        .filter(_quiet("reminded_on", settings.TASK_REMINDER_DAYS, today), goal__community__in=communities)
        .select_related("goal__community", "owner_organization", "owner_person")
        .order_by("owner_organization_id", "due_on", "pk")
    )
    tasks_query, tasks = tasks, list(tasks)
    admins = _admins(Organization.objects.filter(pk__in=tasks_query.values("owner_organization_id")))
    by_recipients: dict[tuple[str, ...], list[Task]] = defaultdict(list)
    owners = {t.owner_person.email for t in tasks if t.owner_person and t.owner_person.email}
    owners_wanting = set(addresses_wanting(MailKind.REMINDERS, sorted(owners)))
    for task in tasks:
        owner = task.owner_person.email if task.owner_person and task.owner_person.email else ""
        if owner and owner not in owners_wanting:
            continue  # the owner turned reminders off: nobody else is told of their task
        recipients = tuple([owner] if owner else admins.get(task.owner_organization_id, ("", []))[1])
        if recipients:
            by_recipients[recipients].append(task)
    site = settings.SITE_URL.rstrip("/")
    report = ReminderReport(items=len(tasks), organizations=len({t.owner_organization_id for t in tasks}))
    messages = []
    for recipients, theirs in by_recipients.items():
        report.mails += 1
        if dry_run:
            continue
        rows = [(task, site + task.get_absolute_url(), task.due_on < today) for task in theirs]
        messages.append(
            mail_message(
                subject=_("[%(marking)s] %(n)d partnership task(s) due or overdue")
                % {"marking": TLP.GREEN, "n": len(theirs)},
                body=render_to_string(
                    "sustainability/email/task_reminder.txt",
                    {"rows": rows, "today": today, "marking": TLP.GREEN},
                ),
                to=recipients,
            )
        )
    if not dry_run:
        reminded = [task.pk for theirs in by_recipients.values() for task in theirs]
        Task.objects.filter(pk__in=reminded).update(reminded_on=today)
        mail_enqueue(messages)
    return report
