"""Incidents, requests and assignments for the tests, made through the services where there is one."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState
from commonground.incidents.models import Assignment, Plan
from commonground.incidents.services.incidents import incident_open
from commonground.incidents.services.requests import request_create
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard

# Riverbend's table sits around here (the resource factory's point).
LATITUDE, LONGITUDE = 42.73, -84.55


def tornado() -> Hazard:
    return Hazard.objects.get(community=None, code="tornado")


def later(hours: int = 48) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def open_incident(table, *, organization=None, tlp=TLP.GREEN, title="Tornado on Main Street", **data):
    """Open an incident at the table's community, as the system (its leadership: the co-chairs, the opening
    organization's admins, facilitators)."""
    values = {"latitude": LATITUDE, "longitude": LONGITUDE, "radius_km": 10, **data}
    return incident_open(
        actor=None, community=table.community, organization=organization or table.public_org,
        hazard=tornado(), title=title, tlp=tlp, **values,
    )  # fmt: skip


def post_request(incident, organization, *, submit=True, **data):
    values = dict(
        kind="equipment", category="esf12", description="Generators", quantity=2, unit="each",
        latitude=LATITUDE, longitude=LONGITUDE, needed_by=later(), priority=1,
    )  # fmt: skip
    values.update(data)
    return request_create(actor=None, incident=incident, organization=organization, submit=submit, **values)


def assign(request, resource=None, *, state=AssignmentState.PROPOSED, plan=None, quantity=1):
    """Put a resource on a request, in the given state, as a plan would (no service writes one directly)."""
    resource = resource or ResourceFactory(
        community=request.incident.community, organization=request.organization, tlp=TLP.GREEN
    )
    now = timezone.now()
    return Assignment.objects.create(
        request=request, resource=resource, plan=plan, quantity=quantity, state=state, distance_m=1200,
        arrives_at=now + datetime.timedelta(hours=2),
        committed_at=now if state != AssignmentState.PROPOSED else None,
        decided_at=now if state in (AssignmentState.ACCEPTED, AssignmentState.RELEASED) else None,
    )  # fmt: skip


def plan_of(incident, figures=None):
    return Plan.objects.create(
        incident=incident, figures=figures or {"optimal": {"units": 1}, "greedy": {"units": 1}}
    )


def grow_incidents(table, organizations, resources) -> None:
    """Put incidents at the table for the query-count baselines: one for each new organization, the newest
    holding a request of each organization, that organization's resource assigned to it (accepted), and a plan.
    Each incident has an operational period, a log line and an alert."""
    from commonground.incidents.models import (
        Alert,
        Incident,
        OperationalPeriod,
        ResourceRequest,
        TimelineEntry,
    )

    start = (Incident.objects.filter(community=table.community).aggregate(top=Max("number"))["top"] or 0) + 1
    now = timezone.now()
    hazard = tornado()
    incidents = Incident.objects.bulk_create(
        Incident(
            community=table.community, organization=table.public_org, number=start + i, hazard=hazard,
            title=f"Grown incident {start + i}", cap_category="Met", latitude=LATITUDE, longitude=LONGITUDE,
            radius_km=10, tlp=TLP.GREEN, started_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(len(organizations))
    )  # fmt: skip
    OperationalPeriod.objects.bulk_create(
        OperationalPeriod(incident=i, number=1, starts_at=now, ends_at=later(12), objectives="Grown")
        for i in incidents
    )
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            incident=i, community=table.community, organization=table.public_org, text="Grown", tlp=TLP.GREEN
        )
        for i in incidents
    )
    Alert.objects.bulk_create(
        Alert(
            incident=i, community=table.community, organization=table.public_org, tlp=TLP.GREEN, msg_type="Alert",
            identifier=f"urn:grown:{i.pk}", sent=now, headline=i.title, xml="<alert/>",
        )
        for i in incidents
    )  # fmt: skip
    newest = max(incidents, key=lambda i: i.pk)
    requests = ResourceRequest.objects.bulk_create(
        ResourceRequest(
            incident=newest, organization=o, number=n + 1, kind="equipment", category="esf12", description="Grown",
            quantity=1, latitude=LATITUDE, longitude=LONGITUDE, needed_by=later(), state="approved", priority=1 + n % 4,
        )
        for n, o in enumerate(organizations)
    )  # fmt: skip
    plan = plan_of(newest)
    Assignment.objects.bulk_create(
        Assignment(
            request=r, resource=resource, plan=plan, quantity=1, state=AssignmentState.ACCEPTED, distance_m=500,
            arrives_at=later(1),
        )
        for r, resource in zip(requests, resources, strict=True)
    )  # fmt: skip
