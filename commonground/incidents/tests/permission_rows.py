"""The permission matrix's rows for incidents, and their part of the world.

The world holds an active TLP:GREEN incident opened by the fire department (the public organization: the
co-chair and `admin_other` are its admins, so both lead it), a request of the logistics firm (the private
organization: `admin_own` and `member`) still submitted, an approved request of the fire department with one
proposed and one committed assignment of the logistics firm's resource (whose owner answers for it), and a
closed incident with a gap. The pages' rows are in PAGES (on that world); the API's in API, each building,
inside the row's own savepoint, the records it acts on (through the services: `records.py`), from the table alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.core.testing import API_LIST, API_READ, PAGE_DECIDERS, PAGE_POST, PAGE_READ, expect, unique
from commonground.core.tlp import TLP
from commonground.incidents.choices import AlertType, AssignmentState, IncidentStatus, RequestState
from commonground.incidents.models import ResourceRequest
from commonground.incidents.services.alerts import alert_issue
from commonground.incidents.services.incidents import period_add
from commonground.incidents.services.timeline import sitrep_post
from commonground.incidents.tests.factories import make_assignment, make_incident, make_request
from commonground.incidents.tests.records import (
    LATITUDE,
    LONGITUDE,
    assign,
    later,
    open_incident,
    plan_of,
    post_request,
    tornado,
)


def build(world) -> None:
    table = world.table
    incident = make_incident(table.community, table.public_org, title="Matrix tornado", tlp=TLP.GREEN)
    submitted = make_request(incident, table.private_org, description="Pallets of water")
    approved = make_request(incident, table.public_org, description="Light towers", state=RequestState.APPROVED,
                            approved_at=timezone.now())  # fmt: skip
    # Two units of the logistics firm's resource: one committed, one left for the proposal to take.
    world.resource.quantity = 2
    world.resource.save(update_fields=["quantity"])
    proposed = make_assignment(approved, world.resource)
    committed = make_assignment(approved, world.resource, plan=proposed.plan, state=AssignmentState.PENDING,
                                committed_at=timezone.now())  # fmt: skip
    closed = make_incident(
        table.community, table.public_org, title="Matrix flood", status=IncidentStatus.CLOSED,
        closed_at=timezone.now(), tlp=TLP.GREEN,
    )  # fmt: skip
    gap = make_request(closed, table.public_org, description="Sandbags", state=RequestState.UNFILLED)
    closed.summary = {
        "requests": 1, "by_priority": {}, "hours_to_fill": {"median": None, "worst": None, "count": 0},
        "units_by_side": {"public": 0, "private": 0},
        "gaps": [{"request_id": gap.pk, "reference": gap.reference, "description": gap.description,
                  "priority": gap.priority, "category": gap.category, "capability": "", "asked": gap.quantity,
                  "served": 0, "state": gap.state}],
    }  # fmt: skip
    closed.save(update_fields=["summary"])
    alert = alert_issue(incident=incident, msg_type=AlertType.ALERT)
    world.add(
        incident=incident, incident_submitted=submitted, incident_approved=approved,
        incident_proposed=proposed, incident_committed=committed, incident_closed=closed, incident_gap=gap,
        incident_alert=alert,
    )  # fmt: skip


def period_form(world):
    start = timezone.localtime() + datetime.timedelta(hours=1)
    return {
        "period-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "period-ends_at": (start + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M"),
        "period-objectives": f"Clear the roads {next(unique)}",
    }


# The pages of the incident's leadership (its co-chairs, the opening organization's admins, facilitators).
PAGE_LEADS = expect(403, visitor=302, outsider=404, admin_other=200, cochair=200, facilitator=200)
POST_LEADS = expect(403, visitor=302, outsider=404, admin_other=302, cochair=302, facilitator=302)
# The resource's owner (the logistics firm's admin) answers for it; facilitators too.
POST_OWNER = expect(403, visitor=302, outsider=404, admin_own=302, facilitator=302)
# A TLP:GREEN alert, and the feed that holds it: the table's; a visitor or an outsider finds nothing there.
ALERT_READ = expect(200, visitor=404, outsider=404)
POST_LEADS_OR_OWNER = expect(403, visitor=302, outsider=404, admin_own=302, admin_other=302, cochair=302, facilitator=302)  # fmt: skip

# URL name: (path for a world, or (path, form); method; expected status by role)
PAGES = {
    "incidents:incidents": (lambda w: "/c/riverbend/incidents/", "GET", PAGE_READ),
    "incidents:incident_create": (lambda w: "/c/riverbend/incidents/new/", "GET", PAGE_LEADS),
    "incidents:incident_detail": (lambda w: f"/incidents/{w.incident.pk}/", "GET", PAGE_READ),
    "incidents:incident_live": (lambda w: f"/incidents/{w.incident.pk}/live/", "GET", PAGE_READ),
    "incidents:incident_log": (lambda w: f"/incidents/{w.incident.pk}/log/", "GET", PAGE_READ),
    "incidents:incident_edit": (lambda w: f"/incidents/{w.incident.pk}/edit/", "GET", PAGE_LEADS),
    "incidents:incident_close": (lambda w: (f"/incidents/{w.incident.pk}/close/", {"note": "All clear"}), "POST", POST_LEADS),
    "incidents:sitrep_create": (lambda w: (f"/incidents/{w.incident.pk}/sitreps/new/", {"sitrep-text": f"Roads flooded {next(unique)}", "sitrep-tlp": TLP.GREEN}), "POST", PAGE_POST),
    "incidents:period_create": (lambda w: (f"/incidents/{w.incident.pk}/periods/new/", period_form(w)), "POST", POST_LEADS),
    "incidents:request_create": (lambda w: f"/incidents/{w.incident.pk}/requests/new/", "GET", PAGE_READ),
    "incidents:plan_propose": (lambda w: (f"/incidents/{w.incident.pk}/plan/", {}), "POST", POST_LEADS),
    "incidents:gap_to_needs": (lambda w: (f"/incidents/{w.incident_closed.pk}/gaps/{w.incident_gap.pk}/needs/", {}), "POST", PAGE_DECIDERS),
    "incidents:request_detail": (lambda w: f"/requests/{w.incident_submitted.pk}/", "GET", PAGE_READ),
    # Approved: only the leadership changes it now.
    "incidents:request_edit": (lambda w: f"/requests/{w.incident_approved.pk}/edit/", "GET", PAGE_LEADS),
    "incidents:request_transition": (lambda w: (f"/requests/{w.incident_submitted.pk}/approve/", {}), "POST", POST_LEADS),
    "incidents:assignment_commit": (lambda w: (f"/assignments/{w.incident_proposed.pk}/commit/", {}), "POST", POST_LEADS),
    "incidents:assignment_accept": (lambda w: (f"/assignments/{w.incident_committed.pk}/accept/", {}), "POST", POST_OWNER),
    "incidents:assignment_decline": (lambda w: (f"/assignments/{w.incident_committed.pk}/decline/", {"reason": "In use"}), "POST", POST_OWNER),
    "incidents:assignment_release": (lambda w: (f"/assignments/{w.incident_committed.pk}/release/", {}), "POST", POST_LEADS_OR_OWNER),
    "incidents:alert_xml": (lambda w: f"/alerts/{w.incident_alert.pk}.xml", "GET", ALERT_READ),
    "incidents:alert_feed": (lambda w: "/c/riverbend/alerts.atom", "GET", ALERT_READ),
}  # fmt: skip


# --- the API's rows ------------------------------------------------------------------------------

# The incident's leadership: co-chairs, the opening organization's admins, facilitators.
LEADERS = expect(403, visitor=401, outsider=404, admin_other=200, cochair=200, facilitator=200)
LEADERS_CREATE = expect(403, visitor=401, outsider=404, admin_other=201, cochair=201, facilitator=201)
# The requesting organization's members and the leadership.
REQUESTERS = expect(200, visitor=401, outsider=404)
# The resource's owner: its organization's admins, and facilitators.
OWNERS = expect(403, visitor=401, outsider=404, admin_own=200, facilitator=200)
LEADERS_OR_OWNERS = expect(
    403, visitor=401, outsider=404, admin_own=200, admin_other=200, cochair=200, facilitator=200
)
REASON = {"reason": "Road closed"}


def api_incident(w):
    return open_incident(w.table, title=f"API tornado {next(unique)}")


def api_request(w, state=RequestState.SUBMITTED):
    request = post_request(api_incident(w), w.table.private_org, submit=state != RequestState.DRAFT)
    if state not in (RequestState.DRAFT, RequestState.SUBMITTED):
        ResourceRequest.objects.filter(pk=request.pk).update(state=state)
    return request


def api_assignment(w, state=AssignmentState.PROPOSED):
    request = api_request(w, RequestState.APPROVED)
    return assign(request, plan=plan_of(request.incident), state=state)


def api_period(w):
    incident = api_incident(w)
    return period_add(
        actor=None, incident=incident, starts_at=timezone.now(), ends_at=later(12), objectives="Search"
    )


def api_sitrep(w):
    return sitrep_post(
        actor=None, incident=api_incident(w), text="Roads closed north of the river", tlp=TLP.GREEN
    )


def incident_payload(w):
    return {
        "community": "riverbend", "organization": w.table.public_org.pk, "hazard": tornado().pk,
        "title": f"Flood {next(unique)}", "latitude": LATITUDE, "longitude": LONGITUDE, "radius_km": 5,
        "tlp": TLP.GREEN,
    }  # fmt: skip


def period_payload(incident):
    return {
        "incident": incident.pk,
        "starts_at": later(12).isoformat(),
        "ends_at": later(24).isoformat(),
        "objectives": f"Restore power {next(unique)}",
    }


def request_payload(w, incident=None):
    return {
        "incident": (incident or api_incident(w)).pk, "organization": w.table.private_org.pk, "kind": "supply",
        "category": "esf6", "description": f"Cots {next(unique)}", "quantity": 40, "unit": "each",
        "latitude": LATITUDE, "longitude": LONGITUDE, "needed_by": later().isoformat(), "priority": 2,
    }  # fmt: skip


def sitrep_payload(w):
    return {"incident": api_incident(w).pk, "text": f"Shelter open {next(unique)}", "tlp": TLP.GREEN}


def at(template, make, body=None):
    """A row's builder: the path of a record `make(w)` builds, and the body (or a function of the record)."""

    def build(w):
        record = make(w)
        return template.format(record.pk), body(record) if callable(body) else body

    return build


def incident_plan(w):
    assignment = api_assignment(w)
    return assignment.request.incident


def listed(path, make):
    """A list's builder: something in it first."""
    return lambda w: (make(w) and path, None)


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/incidents/"): (listed("/api/v1/incidents/?community=riverbend&is_open=true", api_incident), API_LIST),
    ("POST", "/api/v1/incidents/"): (lambda w: ("/api/v1/incidents/", incident_payload(w)), expect(403, visitor=401, outsider=400, admin_other=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/incidents/{id}/"): (at("/api/v1/incidents/{}/", api_incident), API_READ),
    ("PATCH", "/api/v1/incidents/{id}/"): (at("/api/v1/incidents/{}/", api_incident, {"severity": "Extreme"}), LEADERS),
    ("PUT", "/api/v1/incidents/{id}/"): (lambda w: (at("/api/v1/incidents/{}/", api_incident)(w)[0], {**incident_payload(w), "title": "Renamed"}), LEADERS),
    ("POST", "/api/v1/incidents/{id}/close/"): (at("/api/v1/incidents/{}/close/", api_incident, {"note": "All clear"}), LEADERS),
    ("GET", "/api/v1/incidents/{id}/plan/"): (at("/api/v1/incidents/{}/plan/", incident_plan), API_READ),
    ("POST", "/api/v1/incidents/{id}/plan/"): (at("/api/v1/incidents/{}/plan/", incident_plan), LEADERS_CREATE),
    ("GET", "/api/v1/incidents/{id}/geojson/"): (at("/api/v1/incidents/{}/geojson/", incident_plan), API_READ),
    ("GET", "/api/v1/operational-periods/"): (listed("/api/v1/operational-periods/?community=riverbend", api_period), API_LIST),
    ("POST", "/api/v1/operational-periods/"): (lambda w: ("/api/v1/operational-periods/", period_payload(api_incident(w))), expect(403, visitor=401, outsider=400, admin_other=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/operational-periods/{id}/"): (at("/api/v1/operational-periods/{}/", api_period), API_READ),
    ("PATCH", "/api/v1/operational-periods/{id}/"): (at("/api/v1/operational-periods/{}/", api_period, {"objectives": "Shelter"}), LEADERS),
    ("PUT", "/api/v1/operational-periods/{id}/"): (at("/api/v1/operational-periods/{}/", api_period, lambda p: period_payload(p.incident)), LEADERS),
    ("GET", "/api/v1/resource-requests/"): (listed("/api/v1/resource-requests/?community=riverbend&state=submitted&priority=1", api_request), API_LIST),
    ("POST", "/api/v1/resource-requests/"): (lambda w: ("/api/v1/resource-requests/", request_payload(w)), expect(201, visitor=401, outsider=400)),
    ("GET", "/api/v1/resource-requests/{id}/"): (at("/api/v1/resource-requests/{}/", api_request), API_READ),
    ("PATCH", "/api/v1/resource-requests/{id}/"): (at("/api/v1/resource-requests/{}/", api_request, {"notes": "Diesel"}), REQUESTERS),
    ("PUT", "/api/v1/resource-requests/{id}/"): (lambda w: (lambda r: (f"/api/v1/resource-requests/{r.pk}/", request_payload(w, r.incident)))(api_request(w)), REQUESTERS),
    ("POST", "/api/v1/resource-requests/{id}/submit/"): (at("/api/v1/resource-requests/{}/submit/", lambda w: api_request(w, RequestState.DRAFT), {}), REQUESTERS),
    ("POST", "/api/v1/resource-requests/{id}/approve/"): (at("/api/v1/resource-requests/{}/approve/", api_request, {}), LEADERS),
    ("POST", "/api/v1/resource-requests/{id}/cancel/"): (at("/api/v1/resource-requests/{}/cancel/", lambda w: api_request(w, RequestState.DRAFT), REASON), REQUESTERS),
    ("POST", "/api/v1/resource-requests/{id}/mark-unfilled/"): (at("/api/v1/resource-requests/{}/mark-unfilled/", api_request, REASON), LEADERS),
    ("POST", "/api/v1/resource-requests/{id}/deliver/"): (at("/api/v1/resource-requests/{}/deliver/", lambda w: api_request(w, RequestState.COMMITTED), {}), LEADERS),
    ("GET", "/api/v1/assignments/"): (listed("/api/v1/assignments/?community=riverbend&state=proposed&state=pending", api_assignment), API_LIST),
    ("GET", "/api/v1/assignments/{id}/"): (at("/api/v1/assignments/{}/", api_assignment), API_READ),
    ("POST", "/api/v1/assignments/{id}/commit/"): (at("/api/v1/assignments/{}/commit/", api_assignment), LEADERS),
    ("POST", "/api/v1/assignments/{id}/accept/"): (at("/api/v1/assignments/{}/accept/", lambda w: api_assignment(w, AssignmentState.PENDING)), OWNERS),
    ("POST", "/api/v1/assignments/{id}/decline/"): (at("/api/v1/assignments/{}/decline/", lambda w: api_assignment(w, AssignmentState.PENDING), REASON), OWNERS),
    ("POST", "/api/v1/assignments/{id}/release/"): (at("/api/v1/assignments/{}/release/", lambda w: api_assignment(w, AssignmentState.ACCEPTED)), LEADERS_OR_OWNERS),
    ("GET", "/api/v1/commitments/"): (listed("/api/v1/commitments/?community=riverbend", lambda w: api_assignment(w, AssignmentState.ACCEPTED)), API_LIST),
    ("GET", "/api/v1/timeline-entries/"): (listed("/api/v1/timeline-entries/?community=riverbend&kind=sitrep", api_sitrep), API_LIST),
    ("POST", "/api/v1/timeline-entries/"): (lambda w: ("/api/v1/timeline-entries/", sitrep_payload(w)), expect(201, visitor=401, outsider=400)),
    ("GET", "/api/v1/timeline-entries/{id}/"): (at("/api/v1/timeline-entries/{}/", api_sitrep), API_READ),
    ("GET", "/api/v1/alerts/"): (listed("/api/v1/alerts/?community=riverbend", api_incident), API_LIST),
    ("GET", "/api/v1/alerts/{id}/"): (at("/api/v1/alerts/{}/", lambda w: api_incident(w).alerts.get()), API_READ),
}  # fmt: skip
