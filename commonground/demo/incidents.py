"""Incidents for the demo: a past winter storm the partnership managed and closed, and an exercise under way.

Everything is written by the services, as the leadership and the members would write it: the incident opened
(and alerted), its periods, requests moved through their life, the plan proposed, committed, accepted or
declined by the owners, situation reports, deliveries, releases, the close and its after-action summary.
The storm happened weeks ago: its steps run now and a `Replay` then moves every time they wrote to when the
storyline says it happened (the alerts' XML with them), and the summary is written again from those times.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from django.utils import timezone

SHIFTED_FIELDS = {
    "ResourceRequest": ("created", "updated", "needed_by", "submitted_at", "approved_at", "filled_at"),
    "Assignment": ("created", "updated", "arrives_at", "committed_at", "decided_at", "released_at"),
    "Plan": ("created", "updated"),
    "TimelineEntry": ("created", "updated", "at"),
    "OperationalPeriod": ("created", "updated"),
    "Incident": ("created", "updated", "closed_at"),
}
# A CAP time: whole seconds and a zone ("-00:00" for UTC), never "Z".
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


@dataclass
class Replay:
    """Run a storyline's steps now and say, at each, when it happened in the story; then move the times."""

    start: datetime.datetime
    marks: list[tuple[datetime.datetime, datetime.datetime]] = field(default_factory=list)

    def at(self, hours: float) -> datetime.datetime:
        """Mark that what follows happens `hours` into the story; return that moment."""
        story = self.start + datetime.timedelta(hours=hours)
        self.marks.append((timezone.now(), story))
        return story

    def offset(
        self, value: datetime.datetime, created: datetime.datetime | None = None
    ) -> datetime.timedelta:
        """Return how far to move a time written during the run (a time still to come moves as its record's
        creation does: a needed-by, an arrival)."""
        reals = [real for real, _story in self.marks]
        if created is not None and value > self.marks[-1][0] + datetime.timedelta(minutes=5):
            value = created
        index = max(0, bisect_right(reals, value) - 1)
        real, story = self.marks[index]
        return story - real

    def move_alerts(self, alerts) -> None:
        """Move alerts by their creation (their `sent` keeps whole seconds only), and every time in their XML:
        a reference to an earlier alert by that alert's move, the others by the alert's own."""
        moves = {alert.pk: self.offset(alert.created) for alert in alerts}
        by_sent = {alert.sent.replace(microsecond=0): moves[alert.pk] for alert in alerts}
        for alert in alerts:
            own = moves[alert.pk]

            def shifted(match, own=own):
                text = match.group(0)
                moment = datetime.datetime.fromisoformat(text)
                moved = moment + by_sent.get(moment, own)
                return moved.strftime("%Y-%m-%dT%H:%M:%S") + text[19:]  # its zone as CAP wrote it

            alert.xml = ISO_TIME.sub(shifted, alert.xml)
            alert.created, alert.updated, alert.sent = (
                alert.created + own,
                alert.updated + own,
                alert.sent + own,
            )

    def apply(self, incident) -> None:
        """Move every time the storyline's records carry to the story's."""
        from commonground.incidents.models import (
            Alert,
            Assignment,
            Incident,
            OperationalPeriod,
            Plan,
            ResourceRequest,
            TimelineEntry,
        )

        scopes = {
            Incident: Incident.objects.filter(pk=incident.pk),
            ResourceRequest: ResourceRequest.objects.filter(incident=incident),
            Assignment: Assignment.objects.filter(request__incident=incident),
            Plan: Plan.objects.filter(incident=incident),
            TimelineEntry: TimelineEntry.objects.filter(incident=incident),
            OperationalPeriod: OperationalPeriod.objects.filter(incident=incident),
        }
        for model, queryset in scopes.items():
            names = SHIFTED_FIELDS[model.__name__]
            rows = list(queryset)
            for row in rows:
                created = row.created
                for name in names:
                    value = getattr(row, name)
                    if value is not None:
                        setattr(row, name, value + self.offset(value, created=created))
            if rows:
                model.objects.bulk_update(rows, list(names))
        alerts = list(Alert.objects.filter(incident=incident))
        self.move_alerts(alerts)
        Alert.objects.bulk_update(alerts, ["created", "updated", "sent", "xml"])


STORM_AREA = {
    "type": "Polygon",
    "coordinates": [[[-84.82, 42.58], [-84.30, 42.58], [-84.22, 42.80], [-84.45, 42.93], [-84.85, 42.86],
                     [-84.82, 42.58]]],
}  # fmt: skip
# The resources the storyline's owners put at the partnership's disposal (placed near the region's centre).
READY_RESOURCES = [
    # organization, name, kind, category, quantity, unit, terms, (latitude, longitude), hours to deploy
    ("Great Lakes Logistics", "Trailer generators, 150 kW", "equipment", "esf12", 4, "each", "loan", (42.745, -84.52), 2),
    ("Capital Grocers Cooperative", "Shelter cots and blanket kits", "supply", "esf6", 60, "kits", "donation", (42.72, -84.50), 1),
    ("Great Lakes Auto Assembly", "Four-wheel-drive pickups", "equipment", "esf1", 1, "each", "loan", (42.70, -84.60), 1),
    ("Meridian Hardware", "Bagged road salt", "supply", "esf3", 30, "pallets", "paid", (42.76, -84.48), 4),
    ("Summit Telecom", "Cell site on wheels", "equipment", "esf2", 1, "each", "mutual_aid", (42.71, -84.57), 3),
    ("Capital Grocers Cooperative", "Bottled water", "supply", "esf11", 40, "pallets", "donation", (42.73, -84.51), 2),
]  # fmt: skip


def _ready_resources(community, organizations: dict) -> None:
    from commonground.resources import services as resource_services

    for org_name, name, kind, category, quantity, unit, terms, (lat, lon), hours in READY_RESOURCES:
        organization = organizations.get(org_name)
        if organization is None:
            continue
        resource_services.resource_create(
            actor=None, community=community, organization=organization, name=name, kind=kind, category=category,
            quantity=quantity, unit=unit, terms=terms, latitude=lat, longitude=lon, deploy_hours=hours,
            availability="available", tlp="TLP:GREEN", disclosed_in_incidents=True,
            description=f"{name}, ready for the partnership's incidents.",
        )  # fmt: skip


def _request(incident, organization, actor, *, submit=True, hours_needed=24, **data):
    from commonground.incidents.services.requests import request_create

    values = {
        "latitude": 42.7325, "longitude": -84.5555, "location": "Riverbend Civic Center warming centre",
        "needed_by": timezone.now() + datetime.timedelta(hours=hours_needed), "unit": "each",
    }  # fmt: skip
    values.update(data)
    return request_create(actor=actor, incident=incident, organization=organization, submit=submit, **values)


def _move(request, action: str, actor, reason: str = ""):
    from commonground.incidents.services.requests import request_transition

    return request_transition(actor=actor, request=request, action=action, reason=reason)


def _proposed(incident, request):
    from commonground.incidents.choices import AssignmentState
    from commonground.incidents.models import Assignment

    return list(
        Assignment.objects.filter(request=request, state=AssignmentState.PROPOSED).select_related(
            "resource", "request__incident"
        )
    )


def _commit_and_answer(
    actor, incident, request, *, decline: bool = False, answered: int | None = None
) -> int:
    """Commit what the plan proposes for a request; the owners accept (or the first declines; or only the first
    `answered` owners answer, the others' commitments wait). Returns the units accepted."""
    from django.core.exceptions import ValidationError

    from commonground.incidents.services import assignments

    units = 0
    for n, assignment in enumerate(_proposed(incident, request)):
        try:
            assignment = assignments.assignment_commit(actor=actor, assignment=assignment)
            if answered is not None and n >= answered:
                continue
            if decline and n == 0:
                assignments.assignment_decline(
                    actor=None, assignment=assignment, reason="Our pickups are out on our own routes."
                )
                continue
            assignments.assignment_accept(actor=None, assignment=assignment)
            units += assignment.quantity
        except ValidationError:  # booked meanwhile by another request: the plan is solved again later
            continue
    return units


def seed_incidents(community, users: dict | None = None) -> dict:
    """Record the past winter storm and the exercise under way; return them by name."""
    from commonground.incidents.choices import RequestState
    from commonground.incidents.services import incidents as incident_services
    from commonground.incidents.services import plans
    from commonground.incidents.services import timeline as timeline_services
    from commonground.incidents.summary import after_action
    from commonground.registry.models import Organization
    from commonground.risks.models import Hazard

    users = users or {}
    lead = users.get("cochair.public")
    organizations = {o.name: o for o in Organization.objects.in_community(community)}
    public_safety = (
        organizations.get("Riverbend Office of Emergency Management")
        or Organization.objects.in_community(community)
        .filter(category__in=["emergency_management", "fire", "police", "ems", "public_health"])
        .order_by("name")
        .first()
    )
    if public_safety is None:
        return {}
    _ready_resources(community, organizations)

    def org(name: str):
        return organizations.get(name) or public_safety

    hazards = {
        h.code: h
        for h in Hazard.objects.filter(community=None, code__in=["winter_weather", "riverine_flooding"])
    }

    # The winter storm, ten weeks ago: three days from the first snow bands to the last road reopened.
    start = (timezone.now() - datetime.timedelta(days=70)).replace(minute=0, second=0, microsecond=0)
    replay = Replay(start=start)
    replay.at(0)
    storm = incident_services.incident_open(
        actor=lead, community=community, organization=public_safety, hazard=hazards.get("winter_weather"),
        title="Winter storm Ulla", started_at=start, polygon=STORM_AREA, tlp="TLP:GREEN",
        area_description="The three counties, worst in the north and east",
        description="Heavy snow and 60 km/h winds: power out for 40,000 customers, the interstate closed.",
        urgency="Immediate", severity="Severe", certainty="Observed",
    )  # fmt: skip
    incident_services.period_add(
        actor=lead, incident=storm, starts_at=start, ends_at=start + datetime.timedelta(hours=12),
        objectives="Open two warming centres.\nPower the water plant and the hospital.\nKeep the main routes open.",
    )  # fmt: skip
    incident_services.period_add(
        actor=lead, incident=storm, starts_at=start + datetime.timedelta(hours=12),
        ends_at=start + datetime.timedelta(hours=36),
        objectives="Shelter everyone without heat.\nRestore power to the warming centres.",
    )  # fmt: skip
    replay.at(1.5)
    generators = _request(storm, org("Riverbend Fire Department"), lead, kind="equipment", category="esf12",
                          description="Generators for the two warming centres", quantity=3, priority=1)  # fmt: skip
    cots = _request(storm, org("Tri-County Health Department"), lead, kind="supply", category="esf6",
                    description="Cots and blankets for the shelter", quantity=40, unit="kits", priority=2)  # fmt: skip
    pickups = _request(storm, org("Tri-County Emergency Medical Services"), lead, kind="equipment", category="esf1",
                       description="Four-wheel-drive vehicles for home-care visits", quantity=2, priority=2)  # fmt: skip
    salt = _request(storm, org("Riverbend Department of Public Works"), lead, kind="supply", category="esf3",
                    description="Road salt for the hospital access roads", quantity=10, unit="pallets", priority=3)  # fmt: skip
    _request(storm, org("American Red Cross, Mid-Michigan Chapter"), lead, kind="supply", category="esf5",
                     description="A mobile kitchen for the second shelter", quantity=1, priority=3)  # fmt: skip
    _request(storm, org("Capital Area Transit Authority"), lead, submit=False, kind="equipment", category="esf1",
             description="Buses to move shelter guests home (never sent)", quantity=4, priority=4)  # fmt: skip
    timeline_services.sitrep_post(
        actor=lead, incident=storm, tlp="TLP:GREEN",
        text="Snow at 5 cm an hour. Warming centres open at the Civic Center and Red Cedar College.",
    )  # fmt: skip
    replay.at(3)
    for request in (generators, cots, pickups, salt):
        _move(request, "approve", lead)
    replay.at(4)
    plans.plan_propose(actor=lead, incident=storm)
    replay.at(4.5)
    for request in (generators, cots):
        _commit_and_answer(lead, storm, request)
    _commit_and_answer(lead, storm, pickups, decline=True)
    replay.at(6)
    _move(salt, "cancel", lead, reason="The state transportation department delivered salt first.")
    if users.get("cochair.private"):
        timeline_services.sitrep_post(
            actor=users["cochair.private"], incident=storm, tlp="TLP:GREEN",
            text="Our generators are on site at both warming centres; fuel for 48 hours.",
        )  # fmt: skip
    replay.at(10)
    plans.plan_propose(actor=lead, incident=storm)  # solved again for what remains
    for request in (generators, cots):
        request.refresh_from_db()
        if request.state in (RequestState.PARTLY_COMMITTED, RequestState.COMMITTED):
            _move(request, "deliver", lead)
    replay.at(30)
    _move(pickups, "mark_unfilled", lead, reason="No second vehicle was found before the roads reopened.")
    replay.at(60)
    storm = incident_services.incident_close(
        actor=lead, incident=storm, note="Power restored everywhere; the last shelter closed."
    )
    replay.apply(storm)
    storm.refresh_from_db()
    storm.summary = after_action(storm)  # the time to fill, from the story's times
    storm.save(update_fields=["summary"])

    # The exercise, under way since this morning.
    exercise_start = timezone.now() - datetime.timedelta(hours=3)
    exercise = incident_services.incident_open(
        actor=lead, community=community, organization=public_safety, hazard=hazards.get("riverine_flooding"),
        title="Exercise: ice jam on the Grand River", started_at=exercise_start, is_exercise=True,
        latitude=42.7335, longitude=-84.5467, radius_km=8, tlp="TLP:GREEN",
        area_description="The river wards downtown", urgency="Expected", severity="Moderate", certainty="Likely",
        description="A functional exercise: the ice jam floods the river wards; the partnership tests requests and the plan.",
    )  # fmt: skip
    incident_services.period_add(
        actor=lead, incident=exercise, starts_at=exercise_start, ends_at=exercise_start + datetime.timedelta(hours=8),
        objectives="Evacuate the river wards.\nKeep the cell network up downtown.\nTest the resource plan.",
    )  # fmt: skip
    cell = _request(exercise, org("Riverbend Police Department"), lead, kind="equipment", category="esf2",
                    description="A portable cell site for the command post", quantity=1, priority=1)  # fmt: skip
    salt = _request(exercise, org("Riverbend Department of Public Works"), lead, kind="supply", category="esf3",
                    description="Salt for the bridge approaches", quantity=5, unit="pallets", priority=2)  # fmt: skip
    bottled = _request(exercise, org("American Red Cross, Mid-Michigan Chapter"), lead, kind="supply",
                       category="esf11", description="Bottled water for the evacuation centre", quantity=50,
                       unit="pallets", priority=2)  # fmt: skip
    generators = _request(exercise, org("Riverbend County Medical Center"), lead, kind="equipment", category="esf12",
                          description="A generator for the dialysis unit", quantity=1, priority=1)  # fmt: skip
    _request(exercise, org("Tri-County Health Department"), lead, kind="supply", category="esf8",
             description="Tetanus vaccine doses", quantity=200, unit="doses", priority=3)  # fmt: skip
    _request(exercise, org("Capital Grocers Cooperative"), users.get("orgadmin") or lead, submit=False, kind="supply",
             category="esf11", description="Refrigerated trailer for spoiled stock (draft)", quantity=1, priority=4)  # fmt: skip
    for request in (cell, salt, bottled, generators):
        _move(request, "approve", lead)
    plans.plan_propose(actor=lead, incident=exercise)
    # The cell site is on site (delivered), the salt committed, the water partly: one owner has answered, the
    # others not yet; the generator is still only proposed.
    _commit_and_answer(lead, exercise, cell)
    _commit_and_answer(lead, exercise, salt)
    _commit_and_answer(lead, exercise, bottled, answered=1)
    cell.refresh_from_db()
    if cell.state == RequestState.COMMITTED:
        _move(cell, "deliver", lead)
    timeline_services.sitrep_post(
        actor=lead, incident=exercise, tlp="TLP:GREEN",
        text="Exercise: water over Grand Avenue; the first 60 residents are at the evacuation centre.",
    )  # fmt: skip
    return {"storm": storm, "exercise": exercise}
