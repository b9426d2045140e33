"""Leaving, for resources: a TLP:RED resource stops naming the people who left, and its organization's admins
are told to review who it names (registered with `accounts.leaving` from the app's `ready()`)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import addresses_wanting
from commonground.core import audit
from commonground.core.mail import mail_enqueue, mail_message
from commonground.core.tlp import TLP
from commonground.registry.choices import PersonRole
from commonground.registry.models import Person

from .models import Resource


def red_recipients_review(*, actor, leaving) -> int:
    """Take the people who leave off the TLP:RED resources that name them (each change audited, readable by
    the people still named), and mail each owning organization's admins to review who those resources name.

    Only TLP:RED names people; an organization leaving one table leaves only that community's resources.
    Called by `accounts.services.access_end` in its transaction; return how many resources changed.
    """
    if not leaving.person_ids:
        return 0
    through = Resource.recipient_people.through
    entries = through.objects.filter(person_id__in=sorted(leaving.person_ids), resource__tlp=TLP.RED)
    if leaving.community_id is not None:
        entries = entries.filter(resource__community_id=leaving.community_id)
    named = defaultdict(set)
    for resource_id, person_id in entries.values_list("resource_id", "person_id"):
        named[resource_id].add(person_id)
    people = {
        p.pk: str(p) for p in Person.objects.filter(pk__in={pk for ids in named.values() for pk in ids})
    }
    by_organization = defaultdict(list)
    for resource in Resource.objects.filter(pk__in=list(named)).order_by("pk"):
        before_ids = sorted(resource.recipient_people.values_list("pk", flat=True))
        resource.recipient_people.remove(*named[resource.pk])
        after_ids = sorted(set(before_ids) - named[resource.pk])
        audit.record_update(
            actor, resource, audit.snapshot(resource), extra_changes={"recipient_people": [before_ids, after_ids]},
            community_id=resource.community_id, organization_id=resource.organization_id,
        )  # fmt: skip
        by_organization[resource.organization_id].append(
            (resource.pk, sorted(people[pk] for pk in named[resource.pk]))
        )
    for organization_id, changed in by_organization.items():
        _tell_admins(organization_id, changed, leaving)
    return sum(len(changed) for changed in by_organization.values())


def _tell_admins(organization_id: int, changed: list[tuple[int, list[str]]], leaving) -> None:
    """Mail the organization's admins (not those leaving) once the write commits. The mail names no resource:
    a TLP:RED resource's name is for its named people only, and an admin may not be one of them."""
    admins = Person.objects.filter(organization_id=organization_id, role=PersonRole.ADMIN).exclude(email="")
    # Those who can act on it: an admin with a login that still signs in.
    admins = admins.exclude(pk__in=sorted(leaving.person_ids)).filter(user__is_active=True)
    addresses = addresses_wanting(MailKind.RECIPIENTS_REVIEW, sorted({a.email for a in admins}))
    if not addresses:
        return
    site = settings.SITE_URL.rstrip("/")
    context = {
        "resources": [
            (site + reverse("resources:resource_detail", args=[pk]), names) for pk, names in changed
        ],
        "site": site,
    }
    body = render_to_string("resources/email/recipients_review.txt", context)
    subject = _("[TLP:CLEAR] Review who your TLP:RED resources name")
    mail_enqueue([mail_message(subject=subject, body=body, to=addresses)])
