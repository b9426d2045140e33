"""An incident, its requests, resources and proposals as the plan tests build them, and what they compare."""

from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.incidents.choices import AssignmentState, RequestState
from commonground.incidents.models import Assignment, Incident, Plan, ResourceRequest
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard

NEAR = (42.74, -84.56)


def tornado() -> Hazard:
    """The catalogue's tornado (made again after a transactional test emptied the catalogue)."""
    return Hazard.objects.get_or_create(
        community=None, code="tornado", defaults={"name": "Tornado", "kind": "natural"}
    )[0]


def open_incident(table, **fields) -> Incident:
    values = dict(
        community=table.community, organization=table.public_org, hazard=tornado(),
        title="Tornado on the east side", latitude=42.73, longitude=-84.55, radius_km=20, cap_category="Met",
        number=Incident.objects.filter(community=table.community).count() + 1,
    )  # fmt: skip
    incident = Incident.objects.create(**(values | fields))
    # Shared with the table, as the opening form does by default: every owner may see what it is asked for.
    incident.recipient_organizations.set([table.public_org, table.private_org])
    return incident


def post_request(incident, organization, **fields) -> ResourceRequest:
    values = dict(
        incident=incident, organization=organization, kind="equipment", category="esf12",
        description="Generators for the shelter", quantity=2, latitude=NEAR[0], longitude=NEAR[1],
        needed_by=timezone.now() + datetime.timedelta(hours=6), priority=2, state=RequestState.APPROVED,
        number=ResourceRequest.objects.filter(incident=incident).count() + 1,
    )  # fmt: skip
    return ResourceRequest.objects.create(**(values | fields))


def resource(table, **fields) -> Resource:
    values = dict(
        community=table.community, organization=table.private_org, quantity=3, deploy_hours=1, terms="loan",
        capability_type=None, availability="available",
    )  # fmt: skip
    return ResourceFactory(**(values | fields))


def hold(resource_, request, quantity, state=AssignmentState.PENDING) -> Assignment:
    """An assignment stored as it stands (not through the services), to set the scene."""
    return Assignment.objects.create(
        request=request, resource=resource_, quantity=quantity, state=state, distance_m=1000,
        arrives_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip


def proposal(resource_, request, quantity) -> Assignment:
    return hold(resource_, request, quantity, state=AssignmentState.PROPOSED)


def database_state() -> tuple:
    """What a refused write must leave as it was."""
    return (
        AuditEntry.objects.count(),
        Plan.objects.count(),
        sorted(Assignment.objects.values_list("pk", "state", "quantity", "reason")),
        sorted(Resource.objects.values_list("pk", "availability")),
        sorted(ResourceRequest.objects.values_list("pk", "state")),
    )


def moves(plan) -> set[tuple[int, int, int]]:
    return {(a.resource_id, a.request_id, a.quantity) for a in plan.assignments.all()}


# -- proposing ---------------------------------------------------------------------------------------------
