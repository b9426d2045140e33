"""The incident's ICS-214 activity log and the situation reports members post."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import check_still_visible, require, validated_save, viewer_of

from ..choices import TimelineKind
from ..models import Incident, TimelineEntry
from ..permissions import can_post_sitrep


def check_sees_incident(actor, incident: Incident) -> None:
    """Refuse, as a missing permission, a write to an incident its marking hides from the actor."""
    require(
        actor is None or Incident.objects.visible_to(viewer_of(actor)).filter(pk=incident.pk).exists(),
        _("Only those the incident's marking names take part in it."),
    )


def activity_log(
    *, incident: Incident, actor, text: str, organization=None, marked_by=None, resource=None
) -> TimelineEntry:
    """Write one line of the activity log (the platform's own record of who did what).

    It takes the incident's marking and audience, so whoever sees the incident sees its log; or, when the line
    names a record more narrowly marked (`marked_by`, a resource), that record's owner, marking and recipient
    organizations; a line that names a resource keeps it (`resource`), and shows only to readers who may see
    both the resource and the incident (`TimelineEntryQuerySet`).
    """
    source = marked_by if marked_by is not None else incident
    if marked_by is not None:
        owner_id = marked_by.organization_id
    else:
        owner_id = organization.pk if organization is not None else incident.organization_id
    entry = TimelineEntry.objects.create(
        incident=incident, community_id=incident.community_id, organization_id=owner_id,
        kind=TimelineKind.ACTIVITY, author=actor if getattr(actor, "pk", None) else None, text=text,
        tlp=source.tlp, resource=resource,
    )  # fmt: skip
    recipients = [organization.pk for organization in source.recipient_organizations.all()]
    if recipients:
        entry.recipient_organizations.set(recipients)
    return entry


@transaction.atomic
def sitrep_post(
    *, actor, incident: Incident, text: str, tlp: str, recipient_organizations=()
) -> TimelineEntry:
    """Post a situation report under its own marking, in the name of the author's organization."""
    viewer = viewer_of(actor)
    require(can_post_sitrep(viewer, incident), _("Only members at the table report on an incident."))
    check_sees_incident(actor, incident)
    if not incident.is_open:
        raise ValidationError({"text": _("The incident is closed: its log is final.")})
    organization_id = viewer.organization_id or incident.organization_id
    entry = TimelineEntry(
        incident=incident, community_id=incident.community_id, organization_id=organization_id,
        kind=TimelineKind.SITREP, author=actor, text=text, tlp=tlp,
    )  # fmt: skip
    validated_save(entry)
    if recipient_organizations:
        entry.recipient_organizations.set(recipient_organizations)
    audit.record_create(actor, entry, community_id=incident.community_id, organization_id=organization_id)
    check_still_visible(actor, TimelineEntry, entry.pk)
    return entry
