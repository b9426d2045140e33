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


def audit_entry(actor, action: str, instance, changes: dict, *, marked_by, incident: Incident):
    """An unsaved audit entry about an unmarked record, with the marking and audience of `marked_by`."""
    entry = audit.build_entry(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        community_id=incident.community_id,
        organization_id=getattr(marked_by, "organization_id", None),
    )
    for name, value in audit.access_fields(type(marked_by), _values(marked_by), {}).items():
        setattr(entry, name, value)
    entry.pending_recipients = audit.recipients_of(marked_by)
    return entry


def revealing_record(assignment: Assignment, resource: Resource, incident: Incident):
    """The record whose marking an assignment's audit entry takes: the narrower of its resource's and its
    incident's (the resource's when they are equal: its name is in the entry)."""
    return incident if ORDER.index(TLP(incident.tlp)) > ORDER.index(TLP(resource.tlp)) else resource


def record_assignment(
    actor, assignment: Assignment, before: dict | None, resource: Resource, incident: Incident
):
    """Write the audit entry of an assignment created (before=None) or changed."""
    if before is None:
        action = AuditAction.CREATE
        changes = {k: [None, v] for k, v in audit.snapshot(assignment).items() if v not in (None, "")}
    else:
        action = AuditAction.UPDATE
        changes = audit.diff(before, audit.snapshot(assignment))
        if not changes:
            return
    marked_by = revealing_record(assignment, resource, incident)
    audit.bulk_record(
        [audit_entry(actor, action, assignment, changes, marked_by=marked_by, incident=incident)]
    )


def record_request_change(actor, request: ResourceRequest, before: dict) -> None:
    changes = audit.diff(before, audit.snapshot(request))
    if changes:
        entry = audit_entry(
            actor, AuditAction.UPDATE, request, changes, marked_by=request.incident, incident=request.incident
        )
        audit.bulk_record([entry])


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None
