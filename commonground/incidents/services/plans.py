"""The allocation plan of an incident.

The leadership proposes a plan (`plan_propose`): the optimal allocation of the resources the proposer may see
to the approved requests' remaining units, with the greedy baseline's figures beside it. The solve runs with
no transaction open, on what the database said a moment before; one short transaction then withdraws the
incident's earlier proposals and stores the new ones. Nothing is held until the leadership commits an
assignment (see `assignments`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core import audit
from commonground.core.models import AuditAction
from commonground.core.services import require, viewer_of
from commonground.registry.geo import zip_centroid
from commonground.resources.models import Resource

from .. import allocation
from ..choices import SERVABLE_STATES, AssignmentState
from ..models import Assignment, Incident, Plan, ResourceRequest
from ..permissions import can_lead_incident
from .holdings import ALLOCATABLE, assignment_label, audit_entry, held_by, resource_units, user_or_none

# What the solve reads of each request and each resource.
REQUEST_FIELDS = (
    "pk", "latitude", "longitude", "zip_code", "quantity", "held", "priority", "kind", "category",
    "min_capability_type", "substitutes_ok", "accepted_terms", "needed_by",
)  # fmt: skip
RESOURCE_FIELDS = (
    "pk", "organization_id", "latitude", "longitude", "quantity", "held", "kind", "category",
    "capability_type", "terms", "deploy_hours",
)  # fmt: skip

REASONS = {
    allocation.NO_REQUESTS: gettext_lazy("No approved request still needs units."),
    allocation.NO_RESOURCES: gettext_lazy("No available resource you may see has units left."),
    allocation.NO_MATCH: gettext_lazy(
        "No available resource matches a request's kind, category, capability type and accepted terms."
    ),
    allocation.TOO_FAR: gettext_lazy("The resources that match are all farther away than the plan's reach."),
    allocation.TOO_LATE: gettext_lazy(
        "None of the resources that match can arrive before the requests are needed."
    ),
    allocation.SOLVER_FAILED: gettext_lazy("The solver could not find a plan; try again."),
}


# -- proposing a plan --------------------------------------------------------------------------------------


def _demands(incident: Incident, viewer, now: datetime.datetime) -> tuple[list[allocation.Demand], int]:
    """The approved requests' units still needed; and how many requests could not be placed on the map."""
    rows = (
        ResourceRequest.objects.visible_to(viewer)
        .filter(incident=incident, state__in=SERVABLE_STATES)
        .annotate(held=held_by("request"))
        .values(*REQUEST_FIELDS)
    )
    demands, unplaced = [], 0
    for row in rows:
        units = row["quantity"] - row["held"]
        if units <= 0:
            continue
        place = (row["latitude"], row["longitude"])
        if None in place:
            place = zip_centroid(row["zip_code"])
            if place is None:
                unplaced += 1
                continue
        demands.append(
            allocation.Demand(
                id=row["pk"],
                lat=place[0],
                lon=place[1],
                units=units,
                priority=row["priority"],
                kind=row["kind"],
                category=row["category"],
                min_capability_type=row["min_capability_type"],
                substitutes_ok=row["substitutes_ok"],
                accepted_terms=frozenset(row["accepted_terms"] or ()),
                needed_by=(row["needed_by"] - now).total_seconds(),
            )
        )
    return demands, unplaced


def _supplies(incident: Incident, viewer) -> list[allocation.Supply]:
    """The units left of the community's available or deployed resources the viewer may see."""
    rows = (
        Resource.objects.visible_to(viewer)
        .filter(
            community_id=incident.community_id,
            availability__in=ALLOCATABLE,
            latitude__isnull=False,
            longitude__isnull=False,
            quantity__gte=1,
        )
        .annotate(held=held_by("resource"))
        .values(*RESOURCE_FIELDS)
    )
    supplies = []
    for row in rows:
        units = resource_units(row["quantity"]) - row["held"]
        if units > 0:
            supplies.append(
                allocation.Supply(
                    id=row["pk"],
                    organization_id=row["organization_id"],
                    lat=row["latitude"],
                    lon=row["longitude"],
                    units=units,
                    kind=row["kind"],
                    category=row["category"],
                    capability_type=row["capability_type"],
                    terms=row["terms"],
                    mobilization_hours=row["deploy_hours"] or 0,
                )
            )
    return supplies


def plan_propose(*, actor, incident: Incident) -> Plan:
    """Solve the allocation for what the incident's approved requests still need, and store it as proposals;
    the incident's leadership, while it is open. The earlier proposals are withdrawn.

    Call it with no transaction open: the solve may take seconds, and holds no lock meanwhile.
    """
    viewer = viewer_of(actor)
    require(
        can_lead_incident(viewer, incident),
        _("Only the incident's leadership (its co-chairs and the opening organization) proposes the plan."),
    )
    if not incident.is_open:
        raise ValidationError(_("The incident is closed: there is nothing left to allocate."))
    now = timezone.now()
    demands, unplaced = _demands(incident, viewer, now)
    supplies = _supplies(incident, viewer)
    speed, reach = settings.INCIDENT_ROAD_SPEED_KMH, settings.INCIDENT_MAX_REACH_KM
    # What an owner declined for a request is not offered to that request again.
    declined = set(
        Assignment.objects.filter(request__incident=incident, state=AssignmentState.DECLINED).values_list(
            "resource_id", "request_id"
        )
    )
    optimal = allocation.solve(supplies, demands, speed_kmh=speed, max_km=reach, excluded=declined)
    baseline = allocation.greedy(supplies, demands, speed_kmh=speed, max_km=reach, excluded=declined)
    figures = {
        "optimal": optimal.figures(),
        "greedy": baseline.figures(),
        "requests": len(demands),
        "requests_without_place": unplaced,
        "resources": len(supplies),
        "speed_kmh": speed,
        "max_km": reach,
    }
    with transaction.atomic():
        incident = Incident.objects.prefetch_related("recipient_organizations").get(pk=incident.pk)
        _withdraw_proposals(actor, incident)
        plan = Plan.objects.create(
            incident=incident,
            created_by=user_or_none(actor),
            figures=figures,
            reason=str(REASONS.get(optimal.reason, "")) if optimal.reason else "",
        )
        entry = audit_entry(
            actor,
            AuditAction.CREATE,
            plan,
            {k: [None, v] for k, v in audit.snapshot(plan).items() if v not in (None, "")},
            marked_by=incident,
            incident=incident,
        )
        audit.bulk_record([entry])
        _store_proposals(actor, incident, plan, optimal.moves, now)
    return plan


def _withdraw_proposals(actor, incident: Incident) -> None:
    # Locked, so that a commit of one of them waits, then finds it withdrawn.
    proposals = list(
        Assignment.objects.filter(request__incident=incident, state=AssignmentState.PROPOSED)
        .select_for_update(of=("self",))
        .select_related("resource", "request")
    )
    if not proposals:
        return
    Assignment.objects.filter(pk__in=[a.pk for a in proposals], state=AssignmentState.PROPOSED).update(
        state=AssignmentState.WITHDRAWN, updated=timezone.now()
    )
    entries = []
    for assignment in proposals:
        assignment.request.incident = incident
        changes = {"state": [AssignmentState.PROPOSED.value, AssignmentState.WITHDRAWN.value]}
        entries.append(
            audit_entry(
                actor,
                AuditAction.UPDATE,
                assignment,
                changes,
                marked_by=incident,
                incident=incident,
                object_repr=assignment_label(assignment),
            )  # fmt: skip
        )
    audit.bulk_record(entries)


def _store_proposals(actor, incident: Incident, plan: Plan, moves, now: datetime.datetime) -> None:
    if not moves:
        return
    # Their entries take the incident's marking (`holdings.assignment_label`): the resources' audiences are not read.
    resources = Resource.objects.in_bulk({m.supply_id for m in moves})
    requests = {r.pk: r for r in ResourceRequest.objects.filter(pk__in={m.demand_id for m in moves})}
    for request in requests.values():
        request.incident = incident
    assignments = [
        Assignment(
            request=requests[move.demand_id],
            resource=resources[move.supply_id],
            plan=plan,
            quantity=move.units,
            state=AssignmentState.PROPOSED,
            distance_m=move.distance_m,
            arrives_at=now + datetime.timedelta(seconds=move.seconds),
        )
        for move in moves
    ]
    Assignment.objects.bulk_create(assignments, batch_size=500)
    audit.bulk_record(
        audit_entry(
            actor,
            AuditAction.CREATE,
            assignment,
            {k: [None, v] for k, v in audit.snapshot(assignment).items() if v not in (None, "")},
            marked_by=incident,
            incident=incident,
            object_repr=assignment_label(assignment),
        )
        for assignment in assignments
    )
