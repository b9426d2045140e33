"""A co-chair's introduction of two organizations at the table: one mail to each admin, through the queue.

Each admin's mail names the other organization and links its page, where the reader sees its people's contact
details as their markings allow: the mail itself carries no address of the other side.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import recipients_wanting
from commonground.communities.models import Membership
from commonground.core import audit
from commonground.core.mail import mail_enqueue, mail_message
from commonground.core.services import require, viewer_of
from commonground.registry.choices import PersonRole
from commonground.registry.models import Person

from .models import Introduction
from .permissions import can_introduce


def _admin_recipients(organization) -> list[tuple[object, str]]:
    admins = Person.objects.filter(organization=organization, role=PersonRole.ADMIN).select_related("user")
    found = []
    for person in admins.order_by("pk"):
        user = person.user if person.user_id and person.user.is_active else None
        address = (person.email or (user.email if user else "") or "").strip()
        if address and (person.user_id is None or user is not None):
            found.append((user, address))
    return recipients_wanting(MailKind.INTRODUCTIONS, found)


def _sender_name(actor) -> str:
    if actor is None:
        return _("The program")
    person = getattr(actor, "person", None)
    return str(person) if person is not None else (actor.get_full_name() or actor.get_username())


def introduction_send(*, actor, community, first, second, reason: str = "") -> Introduction:
    """Introduce two organizations of a community's table to each other: mail each one's admins (those who
    want introductions) about the other, once the record commits. Refused unless a co-chair or facilitator
    asks, both sit at the table, they differ, and at least one admin can be mailed."""
    require(
        can_introduce(viewer_of(actor), community), _("Only co-chairs and facilitators introduce members.")
    )
    seated = set(
        Membership.objects.filter(community=community, organization__in=[first, second]).values_list(
            "organization_id", flat=True
        )
    )
    if first.pk == second.pk or seated != {first.pk, second.pk}:
        raise ValidationError(_("Choose two different organizations at this table."))
    recipients = {first.pk: _admin_recipients(first), second.pk: _admin_recipients(second)}
    if not any(recipients.values()):
        raise ValidationError(_("Neither organization has an admin who can be mailed."))
    site = settings.SITE_URL.rstrip("/")
    messages = []
    for own, other in ((first, second), (second, first)):
        context = {
            "community": community,
            "own": own,
            "other": other,
            "reason": reason,
            "sender": _sender_name(actor),
            "other_url": site + other.get_absolute_url(),
        }
        body = render_to_string("socialcapital/email/introduction.txt", context)
        subject = _("%(community)s: meet %(other)s") % {"community": community.name, "other": other.name}
        messages += [
            mail_message(subject=subject, body=body, to=[address]) for _u, address in recipients[own.pk]
        ]
    with transaction.atomic():
        introduction = Introduction.objects.create(
            community=community, first=first, second=second, sent_by=actor if actor else None
        )
        audit.record_create(actor, introduction, community_id=community.pk)
        mail_enqueue(messages)
    return introduction
