"""What an incident's assignments hold, and the audit entries of records that carry no marking of their own.

Units held: a resource's units are held by its committed (pending) and accepted assignments, in any incident;
a request's units by its own. Proposals hold nothing.

An assignment, a plan and a request carry no marking of their own: their audit entries take the marking and
audience of the record they reveal, so that the log shows them to no one the record is hidden from (a plan's
and a request's, the incident's; an assignment's, the narrower of its resource's and its incident's).
"""

from __future__ import annotations

import math
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from commonground.core import audit
from commonground.core.models import AuditAction
from commonground.core.tlp import ORDER, TLP
from commonground.resources.choices import Availability
from commonground.resources.models import Resource

from ..choices import HOLDING_STATES, AssignmentState
from ..models import Assignment, Incident, ResourceRequest

# Resources the allocation may send: available ones, and deployed ones with units left.
ALLOCATABLE = (Availability.AVAILABLE, Availability.DEPLOYED)


# -- units held --------------------------------------------------------------------------------------------


def held_by(field: str):
    """The units held by holding assignments of the outer row (a resource or a request), as a subquery."""
    totals = (
        Assignment.objects.filter(**{field: OuterRef("pk")}, state__in=HOLDING_STATES)
        .order_by()
        .values(field)
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(totals[:1], output_field=models.IntegerField()), 0)


def units_held(**where) -> int:
    """The units held by the holding assignments matching `where` (resource=..., or request=...)."""
    total = Assignment.objects.filter(state__in=HOLDING_STATES, **where).aggregate(total=Sum("quantity"))
    return int(total["total"] or 0)


def units_accepted(request: ResourceRequest) -> int:
    total = Assignment.objects.filter(request=request, state=AssignmentState.ACCEPTED).aggregate(
        total=Sum("quantity")
    )
    return int(total["total"] or 0)


def resource_units(quantity: float) -> int:
    """The whole units a resource's quantity holds."""
    return max(0, math.floor(quantity or 0))


# -- audit -------------------------------------------------------------------------------------------------


def _values(record: models.Model) -> dict[str, Any]:
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields} | {
        "pk": record.pk
    }


def audit_entry(
    actor, action: str, instance, changes: dict, *, marked_by, incident: Incident, organization_id=None,
    object_repr: str | None = None,
):  # fmt: skip
    """An unsaved audit entry about an unmarked record, with the marking and audience of `marked_by`, in the
    scope of `organization_id` (the marking's owner unless given) and named `object_repr` (its str unless given)."""
    entry = audit.build_entry(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        community_id=incident.community_id,
        organization_id=organization_id or getattr(marked_by, "organization_id", None),
    )
    if object_repr is not None:
        entry.object_repr = object_repr[:300]
    for name, value in audit.access_fields(type(marked_by), _values(marked_by), {}).items():
        setattr(entry, name, value)
    entry.pending_recipients = audit.recipients_of(marked_by)
    return entry


def record_under_incident(
    actor, instance, before: dict | None, *, incident: Incident, organization_id=None, object_repr=None
) -> None:
    """Write the audit entry of a record created (before=None) or changed that carries no marking of its own
    (a request, an operational period, an assignment): under its incident's marking and audience, so the log
    shows it to no one the incident is hidden from."""
    if before is None:
        action = AuditAction.CREATE
        changes = {k: [None, v] for k, v in audit.snapshot(instance).items() if v not in (None, "")}
    else:
        action = AuditAction.UPDATE
        changes = audit.diff(before, audit.snapshot(instance))
        if not changes:
            return
    entry = audit_entry(
        actor, action, instance, changes, marked_by=incident, incident=incident,
        organization_id=organization_id, object_repr=object_repr,
    )  # fmt: skip
    audit.bulk_record([entry])


def assignment_label(assignment: Assignment) -> str:
    """Name an assignment in the audit log by its units and its request, never by its resource: the entry takes
    the incident's marking, and a resource may be marked for another audience (audiences are not nested)."""
    return f"{assignment.quantity} unit(s) for {assignment.request.reference}"


def revealing_record(assignment: Assignment, resource: Resource, incident: Incident):
    """The record whose marking an activity-log line naming the resource takes: the narrower of its resource's
    and its incident's. The line also requires its reader to see the resource (`TimelineEntry.resource`)."""
    return incident if ORDER.index(TLP(incident.tlp)) > ORDER.index(TLP(resource.tlp)) else resource


def record_assignment(
    actor, assignment: Assignment, before: dict | None, resource: Resource, incident: Incident
):
    """Write the audit entry of an assignment created (before=None) or changed, under its incident's marking."""
    record_under_incident(
        actor, assignment, before, incident=incident, object_repr=assignment_label(assignment)
    )


def record_request_change(actor, request: ResourceRequest, before: dict) -> None:
    record_under_incident(
        actor, request, before, incident=request.incident, organization_id=request.organization_id
    )


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None
