"""Incidents, requests and assignments built with the ORM, for tests that need one in a given state without
going through its whole life (the services' own tests go through it)."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, IncidentStatus, RequestState
from commonground.incidents.models import Assignment, Incident, Plan, ResourceRequest, TimelineEntry
from commonground.risks.models import Hazard


def make_incident(community, organization, **fields) -> Incident:
    number = (Incident.objects.filter(community=community).aggregate(top=Max("number"))["top"] or 0) + 1
    values = {
        "hazard": Hazard.objects.get(community=None, code="tornado"), "title": f"Tornado {number}",
        "latitude": 42.73, "longitude": -84.55, "radius_km": 20, "cap_category": "Met", "tlp": TLP.GREEN,
        "status": IncidentStatus.ACTIVE,
    }  # fmt: skip
    values.update(fields)
    return Incident.objects.create(community=community, organization=organization, number=number, **values)


def make_request(incident, organization, **fields) -> ResourceRequest:
    number = (ResourceRequest.objects.filter(incident=incident).aggregate(top=Max("number"))["top"] or 0) + 1
    values = {
        "kind": "equipment", "category": "esf12", "description": f"Generators {number}", "quantity": 2,
        "unit": "each", "latitude": 42.74, "longitude": -84.56, "priority": 2,
        "needed_by": timezone.now() + datetime.timedelta(hours=12), "state": RequestState.SUBMITTED,
        "submitted_at": timezone.now(),
    }  # fmt: skip
    values.update(fields)
    return ResourceRequest.objects.create(
        incident=incident, organization=organization, number=number, **values
    )


def make_assignment(request, resource, *, plan=None, **fields) -> Assignment:
    if plan is None:
        plan = Plan.objects.create(
            incident=request.incident,
            figures={
                "optimal": {"served_by_priority": {"2": 1}, "weighted_units": 100, "distance_m": 1500},
                "greedy": {"served_by_priority": {"2": 1}, "weighted_units": 100, "distance_m": 2500},
            },
        )
    values = {
        "quantity": 1, "state": AssignmentState.PROPOSED, "distance_m": 1500,
        "arrives_at": timezone.now() + datetime.timedelta(hours=2),
    }  # fmt: skip
    values.update(fields)
    return Assignment.objects.create(request=request, resource=resource, plan=plan, **values)


def make_sitrep(incident, organization, text: str, tlp: str = TLP.GREEN, **fields) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident, community_id=incident.community_id, organization=organization, kind="sitrep",
        text=text, tlp=tlp, **fields,
    )  # fmt: skip
