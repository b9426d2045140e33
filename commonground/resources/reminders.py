"""Remind organizations of the resources they have not verified for a while (run daily by cron or a timer)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import addresses_wanting
from commonground.core.mail import mail_enqueue, mail_message
from commonground.core.tlp import TLP, narrowest
from commonground.registry.choices import PersonRole
from commonground.registry.models import Person

from .models import Resource, stale_before


@dataclass
class ReminderReport:
    organizations: int = 0
    resources: int = 0
    mails: int = 0


@transaction.atomic
def remind_stale_resources(
    *, community=None, today: datetime.date | None = None, dry_run: bool = False
) -> ReminderReport:
    """Mail each organization's admins the list of its stale resources, at most every REMINDER_DAYS days.

    The mails are written here and sent by the task queue once the reminder dates are saved."""
    today = today or timezone.localdate()
    quiet_since = today - datetime.timedelta(days=settings.RESOURCE_REMINDER_DAYS)
    stale = (
        Resource.objects.filter(verified_on__lt=stale_before())
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=quiet_since))
        .select_related("organization", "community")
        .order_by("organization_id", "name")
    )
    if community is not None:
        stale = stale.filter(community=community)
    by_organization: dict[int, list[Resource]] = defaultdict(list)
    for resource in stale:
        by_organization[resource.organization_id].append(resource)
    admins = defaultdict(list)
    for person in Person.objects.filter(
        organization_id__in=list(by_organization), role=PersonRole.ADMIN
    ).exclude(email=""):
        admins[person.organization_id].append(person.email)
    wanted = set(addresses_wanting(MailKind.REMINDERS, [a for found in admins.values() for a in found]))
    admins = defaultdict(list, {pk: [a for a in found if a in wanted] for pk, found in admins.items()})
    report = ReminderReport()
    messages = []
    for organization_id, resources in by_organization.items():
        report.organizations += 1
        report.resources += len(resources)
        if not admins[organization_id]:
            continue
        if not dry_run:
            messages.append(_message(resources, admins[organization_id]))
        report.mails += 1
    if not dry_run:
        reminded = [
            r.pk for resources in by_organization.values() for r in resources if admins[r.organization_id]
        ]
        Resource.objects.filter(pk__in=reminded).update(reminded_on=today)
        mail_enqueue(messages)
    return report


def _message(resources: list[Resource], recipients: list[str]) -> dict:
    listed = [r for r in resources if r.tlp != TLP.RED]  # TLP:RED goes to named people only, never by mail
    marking = narrowest([TLP.GREEN, *(r.tlp for r in listed)])
    site = settings.SITE_URL.rstrip("/")
    context = {
        "organization": resources[0].organization,
        "resources": [(r, site + reverse("resources:resource_detail", args=[r.pk])) for r in listed],
        "unlisted": len(resources) - len(listed),
        "marking": marking,
        "days": settings.RESOURCE_STALE_DAYS,
    }
    return mail_message(
        subject=_("[%(marking)s] %(n)d resource(s) of %(organization)s need verifying")
        % {"marking": marking, "n": len(resources), "organization": resources[0].organization},
        body=render_to_string("resources/email/stale.txt", context),
        to=recipients,
    )
