"""The incidents' REST API: each endpoint and each transition, bad input as field errors with nothing written,
another community's incident a 404, the markings applied to every answer, and constant query counts."""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.testing import api_client, database_state
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, IncidentStatus, RequestState
from commonground.incidents.models import Assignment, Incident, Plan, ResourceRequest, TimelineEntry
from commonground.incidents.services.incidents import incident_open
from commonground.resources.tests.factories import ResourceFactory

from .alerting import URLS, assert_valid_cap
from .records import LATITUDE, LONGITUDE, assign, later, open_incident, plan_of, post_request, tornado

# The alerts link to the incident's pages: their addresses, until urls.py includes the incidents app.
pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SQUARE = {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8], [-84.6, 42.7]]]}  # fmt: skip


def incident_body(table, **changes):
    body = {
        "community": "riverbend", "organization": table.public_org.pk, "hazard": tornado().pk,
        "title": "Flooded underpass", "latitude": LATITUDE, "longitude": LONGITUDE, "radius_km": 5,
        "tlp": TLP.GREEN,
    }  # fmt: skip
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def request_body(incident, requester, **changes):
    body = {
        "incident": incident.pk, "organization": requester.pk, "kind": "supply", "category": "esf6",
        "description": "Cots", "quantity": 40, "unit": "each", "latitude": LATITUDE, "longitude": LONGITUDE,
        "needed_by": later().isoformat(), "priority": 2,
    }  # fmt: skip
    body.update(changes)
    return body


def refused_with(response, field: str, before: dict) -> None:
    """The write was refused with a message on the field, and nothing was written."""
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert database_state() == before, "a refused write changed the database"


# --- incidents -----------------------------------------------------------------------------------


def test_a_cochair_opens_an_incident_and_the_partnership_is_alerted(table):
    response = api_client(table.cochair).post("/api/v1/incidents/", incident_body(table), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["reference"], data["status"], data["tlp"]) == ("riverbend-1", "active", TLP.GREEN)
    assert data["cap_category"], "the CAP category comes from the hazard"
    incident = Incident.objects.get(pk=data["id"])
    assert incident.alerts.get().msg_type == "Alert"
    assert incident.timeline.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("other_admin", 201), ("admin", 403), ("member", 403), ("facilitator", 201)]
)
def test_who_opens_an_incident_for_the_fire_department(table, role, status):
    response = api_client(getattr(table, role)).post(
        "/api/v1/incidents/", incident_body(table), format="json"
    )
    assert response.status_code == status, response.content


def test_the_incident_list_filters_by_community_status_and_openness(table):
    active = open_incident(table, title="Active")
    closed = open_incident(table, title="Closed")
    api_client(table.cochair).post(f"/api/v1/incidents/{closed.pk}/close/", {}, format="json")
    client = api_client(table.member)

    def titles(query):
        return [i["title"] for i in client.get(f"/api/v1/incidents/?{query}").json()["results"]]

    assert titles("community=riverbend") == ["Closed", "Active"]
    assert titles("community=elsewhere") == []
    assert titles("status=closed") == ["Closed"]
    assert titles("is_open=true") == [active.title]
    assert client.get("/api/v1/incidents/?status=gone").status_code == 400


def test_another_communitys_incident_is_not_found(table):
    theirs = incident_open(
        actor=None, community=table.other_community, organization=table.outside_org, hazard=tornado(),
        title="Bakery fire", latitude=LATITUDE, longitude=LONGITUDE, radius_km=2, tlp=TLP.GREEN,
    )  # fmt: skip
    client = api_client(table.member)
    before = database_state()
    for method, path in [
        ("get", f"/api/v1/incidents/{theirs.pk}/"),
        ("patch", f"/api/v1/incidents/{theirs.pk}/"),
        ("post", f"/api/v1/incidents/{theirs.pk}/close/"),
        ("get", f"/api/v1/incidents/{theirs.pk}/plan/"),
        ("post", f"/api/v1/incidents/{theirs.pk}/plan/"),
        ("get", f"/api/v1/incidents/{theirs.pk}/geojson/"),
        ("get", f"/api/v1/alerts/{theirs.alerts.get().pk}/"),
        ("get", f"/api/v1/alerts/{theirs.alerts.get().pk}.xml"),
    ]:
        response = getattr(client, method)(path, {"title": "Mine"}, format="json")
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/incidents/").json()["count"] == 0
    response = client.post(
        "/api/v1/resource-requests/", request_body(theirs, table.private_org), format="json"
    )
    refused_with(response, "incident", before)


def test_an_incident_is_changed_by_its_leadership_and_never_deleted(table):
    incident = open_incident(table)
    path = f"/api/v1/incidents/{incident.pk}/"
    before = database_state()
    assert api_client(table.member).patch(path, {"title": "Mine"}, format="json").status_code == 403
    assert database_state() == before
    response = api_client(table.other_admin).patch(path, {"severity": "Extreme"}, format="json")
    assert response.status_code == 200, response.content
    assert incident.alerts.filter(msg_type="Update").exists(), (
        "a change the partnership should know is alerted"
    )
    assert api_client(table.cochair).delete(path).status_code == 405
    moved = api_client(table.cochair).patch(path, {"community": "elsewhere"}, format="json")
    assert moved.status_code == 400 and "community" in moved.json()
    refused_with(
        api_client(table.cochair).patch(path, {"organization": table.private_org.pk}, format="json"),
        "organization",
        database_state(),
    )


def test_closing_writes_the_summary_for_the_leadership(table):
    incident = open_incident(table)
    post_request(incident, table.private_org)
    client = api_client(table.cochair)
    assert api_client(table.member).post(f"/api/v1/incidents/{incident.pk}/close/").status_code == 403
    response = client.post(f"/api/v1/incidents/{incident.pk}/close/", {"note": "All clear"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == IncidentStatus.CLOSED and data["closed_at"]
    assert data["summary"]["requests"] == 1
    assert incident.alerts.filter(msg_type="Cancel").exists()
    assert api_client(table.member).get(f"/api/v1/incidents/{incident.pk}/").json()["summary"] is None
    before = database_state()
    refused_with(client.post(f"/api/v1/incidents/{incident.pk}/close/"), "status", before)
    refused_with(
        client.patch(f"/api/v1/incidents/{incident.pk}/", {"title": "Again"}, format="json"), "status", before
    )


NOT_CLOSED = {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8]]]}  # fmt: skip
CROSSING = {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.8], [-84.5, 42.7], [-84.6, 42.8], [-84.6, 42.7]]]}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"polygon": NOT_CLOSED, "latitude": None, "longitude": None, "radius_km": None}, "polygon"),
        ({"polygon": CROSSING, "latitude": None, "longitude": None, "radius_km": None}, "polygon"),
        ({"polygon": {"type": "Point", "coordinates": [1, 2]}}, "polygon"),
        ({"radius_km": 10_000}, "radius_km"),
        ({"radius_km": 0}, "radius_km"),
        ({"latitude": 95}, "latitude"),
        ({"longitude": None}, "latitude"),
        ({"latitude": None, "longitude": None}, "polygon"),
        ({"status": "closed"}, "status"),
        ({"tlp": "TLP:RED"}, "tlp"),
        ({"hazard": 10**9}, "hazard"),
        ({"title": ""}, "title"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_bad_incident_is_a_field_error_and_nothing_is_written(table, changes, field):
    before = database_state()
    response = api_client(table.cochair).post(
        "/api/v1/incidents/", incident_body(table, **changes), format="json"
    )
    refused_with(response, field, before)


def test_an_area_drawn_as_a_polygon_is_taken(table):
    body = incident_body(table, polygon=SQUARE, latitude=None, longitude=None, radius_km=None)
    response = api_client(table.cochair).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 201, response.content
    assert Incident.objects.get(pk=response.json()["id"]).polygon == SQUARE


def test_a_bad_change_of_area_is_a_field_error(table):
    incident = open_incident(table)
    before = database_state()
    response = api_client(table.cochair).patch(
        f"/api/v1/incidents/{incident.pk}/", {"radius_km": 10_000}, format="json"
    )
    refused_with(response, "radius_km", before)
    response = api_client(table.cochair).patch(
        f"/api/v1/incidents/{incident.pk}/", {"polygon": CROSSING}, format="json"
    )
    refused_with(response, "polygon", before)


# --- operational periods -------------------------------------------------------------------------


def test_the_leadership_plans_operational_periods(table):
    incident = open_incident(table)
    body = {
        "incident": incident.pk,
        "starts_at": later(1).isoformat(),
        "ends_at": later(13).isoformat(),
        "objectives": "Search",
    }
    assert (
        api_client(table.member).post("/api/v1/operational-periods/", body, format="json").status_code == 403
    )
    response = api_client(table.cochair).post("/api/v1/operational-periods/", body, format="json")
    assert response.status_code == 201, response.content
    period = response.json()
    assert period["number"] == 1
    path = f"/api/v1/operational-periods/{period['id']}/"
    assert api_client(table.cochair).patch(path, {"objectives": "Shelter"}, format="json").status_code == 200
    listed = api_client(table.member).get(f"/api/v1/operational-periods/?incident={incident.pk}").json()
    assert [p["objectives"] for p in listed["results"]] == ["Shelter"]
    before = database_state()
    refused_with(
        api_client(table.cochair).patch(path, {"ends_at": later(0).isoformat()}, format="json"),
        "ends_at",
        before,
    )
    other = open_incident(table, title="Other")
    before = database_state()
    refused_with(
        api_client(table.cochair).patch(path, {"incident": other.pk}, format="json"), "incident", before
    )


# --- requests ------------------------------------------------------------------------------------


def test_a_member_posts_a_request_and_it_is_numbered(table):
    incident = open_incident(table)
    client = api_client(table.member)
    response = client.post(
        "/api/v1/resource-requests/", request_body(incident, table.private_org), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["reference"], data["state"]) == ("riverbend-1-1", "draft")
    assert data["accepted_terms"] == ["donation", "loan", "paid", "mutual_aid"]
    submitted = client.post(
        "/api/v1/resource-requests/", request_body(incident, table.private_org, submit=True), format="json"
    )
    assert (submitted.json()["reference"], submitted.json()["state"]) == ("riverbend-1-2", "submitted")
    # Only for an organization of the member's own.
    response = client.post(
        "/api/v1/resource-requests/", request_body(incident, table.public_org), format="json"
    )
    assert response.status_code == 403


def test_a_request_placed_by_zip_code_alone_is_placed_at_its_centroid(table):
    incident = open_incident(table)
    body = request_body(incident, table.private_org, latitude=None, longitude=None, zip_code="48933")
    response = api_client(table.member).post("/api/v1/resource-requests/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["latitude"] == pytest.approx(42.73, abs=0.1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1e12}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"quantity": 2.5}, "quantity"),
        ({"needed_by": "2020-01-01T00:00:00Z"}, "needed_by"),
        ({"needed_by": "tomorrow"}, "needed_by"),
        ({"priority": 7}, "priority"),
        ({"accepted_terms": []}, "accepted_terms"),
        ({"accepted_terms": ["barter"]}, "accepted_terms"),
        ({"latitude": None, "longitude": None, "zip_code": ""}, "zip_code"),
        ({"latitude": 42.7, "longitude": None}, "latitude"),
        ({"category": "esf99"}, "category"),
        ({"organization": 10**9}, "organization"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_bad_request_is_a_field_error_and_nothing_is_written(table, changes, field):
    incident = open_incident(table)
    before = database_state()
    body = request_body(incident, table.private_org, **changes)
    response = api_client(table.member).post("/api/v1/resource-requests/", body, format="json")
    refused_with(response, field, before)


def test_a_request_is_changed_while_editable_and_its_state_only_by_actions(table):
    incident = open_incident(table)
    request = post_request(incident, table.private_org, submit=False)
    path = f"/api/v1/resource-requests/{request.pk}/"
    client = api_client(table.member)
    response = client.patch(path, {"notes": "Diesel", "state": "approved"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["notes"], response.json()["state"]) == ("Diesel", "draft")
    before = database_state()
    refused_with(client.patch(path, {"submit": True}, format="json"), "submit", before)
    refused_with(client.patch(path, {"quantity": 0}, format="json"), "quantity", before)
    refused_with(
        client.patch(path, {"needed_by": "2020-01-01T00:00:00Z"}, format="json"), "needed_by", before
    )
    other = open_incident(table, title="Other")
    before = database_state()
    refused_with(client.patch(path, {"incident": other.pk}, format="json"), "incident", before)
    # A whole new body keeps a needed-by that has passed since, when it is not changed.
    ResourceRequest.objects.filter(pk=request.pk).update(
        needed_by=timezone.now() - datetime.timedelta(hours=1)
    )
    full = client.get(path).json()
    body = {key: full[key] for key in request_body(incident, table.private_org)}
    assert client.put(path, {**body, "description": "Cots and blankets"}, format="json").status_code == 200


def test_a_draft_is_seen_by_its_organization_and_the_leadership_only(table):
    incident = open_incident(table)
    draft = post_request(incident, table.public_org, submit=False)
    assert api_client(table.cochair).get(f"/api/v1/resource-requests/{draft.pk}/").status_code == 200
    assert api_client(table.member).get(f"/api/v1/resource-requests/{draft.pk}/").status_code == 404
    assert api_client(table.member).get("/api/v1/resource-requests/").json()["count"] == 0


def transition(user, request, action, **body):
    return api_client(user).post(f"/api/v1/resource-requests/{request.pk}/{action}/", body, format="json")


def test_a_request_moves_through_its_life_by_actions(table):
    incident = open_incident(table)
    request = post_request(incident, table.private_org, submit=False)
    assert transition(table.member, request, "submit").json()["state"] == RequestState.SUBMITTED
    assert transition(table.member, request, "approve").status_code == 403
    approved = transition(table.cochair, request, "approve")
    assert approved.status_code == 200 and approved.json()["approved_at"]
    ResourceRequest.objects.filter(pk=request.pk).update(state=RequestState.COMMITTED)
    assert transition(table.member, request, "deliver").status_code == 403
    assert transition(table.other_admin, request, "deliver").json()["state"] == RequestState.DELIVERED
    before = database_state()
    refused_with(transition(table.cochair, request, "approve"), "state", before)


def test_cancelling_or_leaving_a_request_unfilled_needs_a_reason(table):
    incident = open_incident(table)
    first = post_request(incident, table.private_org)
    second = post_request(incident, table.private_org)
    before = database_state()
    refused_with(transition(table.member, first, "cancel"), "reason", before)
    refused_with(transition(table.cochair, second, "mark-unfilled", reason="  "), "reason", before)
    refused_with(transition(table.member, first, "cancel", reason="x" * 501), "reason", before)
    cancelled = transition(table.member, first, "cancel", reason="Found our own")
    assert (cancelled.json()["state"], cancelled.json()["state_reason"]) == ("cancelled", "Found our own")
    assert transition(table.member, second, "mark-unfilled", reason="None left").status_code == 403
    unfilled = transition(table.cochair, second, "mark-unfilled", reason="None left")
    assert unfilled.json()["state"] == RequestState.UNFILLED
    assert TimelineEntry.objects.filter(incident=incident, text__contains="None left").exists()


def test_the_request_list_filters_by_state_priority_incident_and_community(table):
    incident = open_incident(table)
    other = open_incident(table, title="Other")
    post_request(incident, table.private_org, priority=1, description="Urgent")
    post_request(incident, table.private_org, priority=4, description="Later", submit=False)
    post_request(other, table.private_org, priority=1, description="Elsewhere")
    client = api_client(table.member)

    def listed(query):
        return sorted(
            r["description"] for r in client.get(f"/api/v1/resource-requests/?{query}").json()["results"]
        )

    assert listed(f"incident={incident.pk}") == ["Later", "Urgent"]
    assert listed("priority=1") == ["Elsewhere", "Urgent"]
    assert listed("state=draft") == ["Later"]
    assert listed("state=draft&state=submitted") == ["Elsewhere", "Later", "Urgent"]
    assert listed("community=riverbend&priority=4") == ["Later"]
    assert listed("community=elsewhere") == []
    assert client.get("/api/v1/resource-requests/?priority=9").status_code == 400


# --- the plan, assignments and commitments -------------------------------------------------------


def test_the_plan_is_proposed_by_the_leadership_and_read_with_its_assignments(table):
    incident = open_incident(table)
    request = post_request(incident, table.private_org)
    transition(table.cochair, request, "approve")
    path = f"/api/v1/incidents/{incident.pk}/plan/"
    assert api_client(table.member).get(path).status_code == 404  # none proposed yet
    before = database_state()
    assert api_client(table.member).post(path).status_code == 403
    assert database_state() == before
    proposed = api_client(table.cochair).post(path)
    assert proposed.status_code == 201, proposed.content
    plan = proposed.json()
    assert set(plan) == {"id", "incident", "created", "reason", "figures", "assignments"}
    assert api_client(table.cochair).get(path).json()["id"] == plan["id"]
    assert Plan.objects.filter(incident=incident).count() == 1


def test_a_proposed_plan_assigns_the_resources_the_leadership_may_see_to_approved_requests(table):
    incident = open_incident(table)
    path = f"/api/v1/incidents/{incident.pk}/plan/"
    empty = api_client(table.cochair).post(path)
    assert empty.status_code == 201 and empty.json()["assignments"] == [] and empty.json()["reason"]
    request = post_request(incident, table.private_org, quantity=2)
    transition(table.cochair, request, "approve")
    pumps = ResourceFactory.create_batch(2, community=table.community, organization=table.private_org)
    plan = api_client(table.cochair).post(path).json()
    assert sorted((a["resource"], a["request"], a["state"]) for a in plan["assignments"]) == sorted(
        (pump.pk, request.pk, "proposed") for pump in pumps
    )
    assert plan["figures"]["optimal"] and plan["figures"]["greedy"]
    assert api_client(table.member).get(path).json()["figures"] is None


def test_the_plan_shows_each_reader_the_assignments_it_may_see_and_the_figures_to_the_leadership(table):
    incident = open_incident(table)
    request = post_request(incident, table.private_org)
    plan = plan_of(incident, figures={"optimal": {"units": 3}})
    shared = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.GREEN)
    hidden = ResourceFactory(community=table.community, organization=table.public_org, tlp=TLP.AMBER_STRICT)
    seen = assign(request, shared, plan=plan)
    assign(request, hidden, plan=plan)
    assign(request, shared)  # of no plan: not this plan's
    path = f"/api/v1/incidents/{incident.pk}/plan/"
    lead = api_client(table.cochair).get(path).json()
    assert lead["figures"] == {"optimal": {"units": 3}}
    assert len(lead["assignments"]) == 2
    member = api_client(table.member).get(path).json()
    assert member["figures"] is None
    assert [a["id"] for a in member["assignments"]] == [seen.pk]
    assert member["assignments"][0]["request_reference"] == request.reference
    assert member["assignments"][0]["resource_name"] == shared.name


def test_an_assignment_is_committed_accepted_and_released(table):
    incident = open_incident(table)
    request = post_request(incident, table.private_org)
    ResourceRequest.objects.filter(pk=request.pk).update(state=RequestState.APPROVED)
    assignment = assign(request)

    def act(user, name, **body):
        return api_client(user).post(f"/api/v1/assignments/{assignment.pk}/{name}/", body, format="json")

    before = database_state()
    assert act(table.member, "commit").status_code == 403
    assert database_state() == before
    assert act(table.cochair, "commit").json()["state"] == AssignmentState.PENDING
    assert act(table.cochair, "accept").status_code == 403  # the owner answers, not the leadership
    accepted = act(table.admin, "accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == AssignmentState.ACCEPTED
    listed = api_client(table.member).get(f"/api/v1/commitments/?incident={incident.pk}").json()["results"]
    assert [c["id"] for c in listed] == [assignment.pk]
    released = act(table.cochair, "release")
    assert released.status_code == 200 and released.json()["state"] == AssignmentState.RELEASED
    assert [c["state"] for c in api_client(table.member).get("/api/v1/commitments/").json()["results"]] == [
        "released"
    ]


def test_an_owner_declines_an_assignment_saying_why(table):
    incident = open_incident(table)
    assignment = assign(post_request(incident, table.private_org), state=AssignmentState.PENDING)
    path = f"/api/v1/assignments/{assignment.pk}/decline/"
    before = database_state()
    refused_with(api_client(table.admin).post(path, {}, format="json"), "reason", before)
    response = api_client(table.admin).post(path, {"reason": "In service elsewhere"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == AssignmentState.DECLINED
    assert api_client(table.member).get("/api/v1/commitments/").json()["count"] == 0


def test_an_assignment_of_a_resource_the_reader_may_not_see_is_not_found(table):
    incident = open_incident(table)
    hidden = ResourceFactory(community=table.community, organization=table.public_org, tlp=TLP.AMBER_STRICT)
    assignment = assign(post_request(incident, table.private_org), hidden, state=AssignmentState.ACCEPTED)
    client = api_client(table.member)
    assert client.get(f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    assert client.get("/api/v1/assignments/").json()["count"] == 0
    assert client.get("/api/v1/commitments/").json()["count"] == 0
    assert api_client(table.cochair).get("/api/v1/commitments/").json()["count"] == 1


# --- timeline and alerts -------------------------------------------------------------------------


def test_members_post_situation_reports_under_their_own_marking(table):
    incident = open_incident(table)
    client = api_client(table.member)
    body = {"incident": incident.pk, "text": "Our depot is dry", "tlp": TLP.AMBER_STRICT}
    response = client.post("/api/v1/timeline-entries/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["organization"], data["tlp"]) == (
        "sitrep",
        table.private_org.pk,
        TLP.AMBER_STRICT,
    )
    assert data["author_name"]
    mine = client.get(f"/api/v1/timeline-entries/?incident={incident.pk}&kind=sitrep").json()["results"]
    assert [e["text"] for e in mine] == ["Our depot is dry"]
    theirs = (
        api_client(table.cochair).get(f"/api/v1/timeline-entries/?incident={incident.pk}").json()["results"]
    )
    assert "Our depot is dry" not in [e["text"] for e in theirs]
    assert any(e["kind"] == "activity" for e in theirs)
    before = database_state()
    refused_with(
        client.post("/api/v1/timeline-entries/", {**body, "text": ""}, format="json"), "text", before
    )
    refused_with(
        client.post("/api/v1/timeline-entries/", {**body, "tlp": "TLP:RED"}, format="json"), "tlp", before
    )


def test_an_alert_is_read_as_json_and_as_its_cap_xml(table):
    incident = open_incident(table)
    alert = incident.alerts.get()
    client = api_client(table.member)
    data = client.get(f"/api/v1/alerts/{alert.pk}/").json()
    assert (data["msg_type"], data["tlp"], data["incident"]) == ("Alert", TLP.GREEN, incident.pk)
    assert data["xml_url"] == f"/api/v1/alerts/{alert.pk}.xml"
    for response in (
        client.get(data["xml_url"]),
        client.get(f"/api/v1/alerts/{alert.pk}/", HTTP_ACCEPT="application/cap+xml"),
        client.get(f"/api/v1/alerts/{alert.pk}/?format=xml"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/cap+xml")
        assert response["X-TLP"] == TLP.GREEN
        assert response.content.decode() == alert.xml
        assert_valid_cap(response.content)
    assert client.get("/api/v1/alerts.xml").status_code == 404  # a list has no CAP form
    for path in (
        f"/api/v1/alerts/{alert.pk}/?format=AAA",
        f"/api/v1/incidents/{incident.pk}/geojson/?format=AAA",
    ):
        unknown = client.get(path)
        assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json", path
    listed = client.get("/api/v1/alerts/?community=riverbend&msg_type=Alert").json()["results"]
    assert [a["id"] for a in listed] == [alert.pk]


def test_an_alert_is_seen_only_where_its_incident_is(table):
    incident = open_incident(table, tlp=TLP.AMBER)
    alert = incident.alerts.get()
    assert api_client(table.member).get(f"/api/v1/alerts/{alert.pk}.xml").status_code == 404
    assert api_client(table.cochair).get(f"/api/v1/alerts/{alert.pk}.xml")["X-TLP"] == TLP.AMBER


# --- GeoJSON -------------------------------------------------------------------------------------


def geojson(user, incident):
    response = api_client(user).get(f"/api/v1/incidents/{incident.pk}/geojson/")
    assert response.status_code == 200, response.content
    return response, json.loads(response.content)


def test_the_geojson_holds_the_area_the_requests_and_the_committed_resources_the_reader_may_see(table):
    incident = open_incident(table, polygon=SQUARE, latitude=None, longitude=None, radius_km=None)
    request = post_request(incident, table.private_org, description="Cots")
    post_request(incident, table.public_org, submit=False, description="Draft of theirs")
    shared = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.GREEN)
    strict = ResourceFactory(community=table.community, organization=table.public_org, tlp=TLP.AMBER_STRICT)
    assign(request, shared, state=AssignmentState.ACCEPTED)
    assign(request, strict, state=AssignmentState.PENDING)
    assign(
        request, ResourceFactory(community=table.community, organization=table.private_org)
    )  # proposed only
    response, data = geojson(table.member, incident)
    assert response["Content-Type"].startswith("application/geo+json")
    assert response["X-TLP"] == data["tlp"] == TLP.GREEN
    kinds = [(f["properties"]["feature"], f["geometry"]["type"]) for f in data["features"]]
    assert kinds == [("area", "Polygon"), ("request", "Point"), ("resource", "Point")]
    assert data["features"][0]["geometry"] == SQUARE
    assert data["features"][1]["geometry"]["coordinates"] == [LONGITUDE, LATITUDE]
    assert data["features"][2]["properties"]["name"] == shared.name
    # The fire department's admin sees its own strict resource and its own draft: the map is marked so.
    response, data = geojson(table.other_admin, incident)
    assert response["X-TLP"] == data["tlp"] == TLP.AMBER_STRICT
    assert sorted(f["properties"].get("name", "") for f in data["features"] if f["properties"]["feature"] == "resource") == sorted([shared.name, strict.name])  # fmt: skip
    assert len([f for f in data["features"] if f["properties"]["feature"] == "request"]) == 2


def test_a_point_area_is_a_point_with_its_radius(table):
    incident = open_incident(table, tlp=TLP.AMBER)
    _response, data = geojson(table.cochair, incident)
    [area] = data["features"]
    assert area["geometry"] == {"type": "Point", "coordinates": [LONGITUDE, LATITUDE]}
    assert area["properties"]["radius_km"] == 10
    assert data["tlp"] == TLP.AMBER


# --- query counts --------------------------------------------------------------------------------


def grow_requests(incident, organization, plan, count: int) -> None:
    start = ResourceRequest.objects.filter(incident=incident).count()
    requests = ResourceRequest.objects.bulk_create(
        ResourceRequest(
            incident=incident, organization=organization, number=start + n + 1, kind="equipment", category="esf12",
            description="Grown", quantity=1, latitude=LATITUDE, longitude=LONGITUDE, needed_by=later(),
            state=RequestState.APPROVED, priority=1 + n % 4,
        )
        for n in range(count)
    )  # fmt: skip
    resources = ResourceFactory.create_batch(count, community=incident.community, organization=organization)
    Assignment.objects.bulk_create(
        Assignment(request=r, resource=s, plan=plan, quantity=1, distance_m=900, arrives_at=later(1))
        for r, s in zip(requests, resources, strict=True)
    )


def queries(user, path) -> int:
    client = api_client(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_plan_and_the_request_list_cost_the_same_queries_with_10_or_500_requests(table):
    incident = open_incident(table)
    plan = plan_of(incident)
    paths = [
        f"/api/v1/incidents/{incident.pk}/plan/",
        f"/api/v1/resource-requests/?incident={incident.pk}&page_size=200",
        f"/api/v1/incidents/{incident.pk}/geojson/",
        f"/api/v1/assignments/?incident={incident.pk}&page_size=200",
    ]
    grow_requests(incident, table.private_org, plan, 10)
    small = [queries(table.cochair, path) for path in paths]
    grow_requests(incident, table.private_org, plan, 490)
    assert len(api_client(table.cochair).get(paths[0]).json()["assignments"]) == 500
    assert [queries(table.cochair, path) for path in paths] == small


# --- arbitrary input -----------------------------------------------------------------------------

coordinate = st.tuples(st.floats(-200, 200, allow_nan=False), st.floats(-100, 100, allow_nan=False)).map(list)
rings = st.lists(coordinate, max_size=8).map(lambda ring: ring + ring[:1] if ring and len(ring) % 2 else ring)


@HYPOTHESIS
@given(ring=rings, extra=st.one_of(st.none(), st.just("hole")))
def test_any_polygon_is_taken_whole_or_refused_as_a_field_error(table, ring, extra):
    rings_given = [ring] + ([[[0, 0], [1, 0], [0, 1], [0, 0]]] if extra else [])
    polygon = {"type": "Polygon", "coordinates": rings_given}
    body = incident_body(table, polygon=polygon, latitude=None, longitude=None, radius_km=None)
    with transaction.atomic():
        before = database_state()
        response = api_client(table.cochair).post("/api/v1/incidents/", body, format="json")
        assert response.status_code in (201, 400), response.content
        if response.status_code == 400:
            assert set(response.json()) == {"polygon"}
            assert database_state() == before
        else:
            assert Incident.objects.get(pk=response.json()["id"]).polygon == polygon
        transaction.set_rollback(True)


@HYPOTHESIS
@given(
    quantity=st.one_of(
        st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12)
    ),
    hours=st.integers(-10_000, 10_000),
)
def test_any_quantity_and_needed_by_is_taken_only_when_it_makes_sense(table, quantity, hours):
    needed_by = (timezone.now() + datetime.timedelta(hours=hours, minutes=5 if hours >= 0 else 0)).isoformat()
    with transaction.atomic():
        incident = open_incident(table)
        body = request_body(incident, table.private_org, quantity=quantity, needed_by=needed_by)
        before = database_state()
        response = api_client(table.member).post("/api/v1/resource-requests/", body, format="json")
        assert response.status_code in (201, 400), response.content
        if response.status_code == 201:
            stored = ResourceRequest.objects.get(pk=response.json()["id"]).quantity
            assert 1 <= stored <= 100_000 and hours >= 0
            if not isinstance(quantity, str):
                assert stored == quantity
        else:
            assert set(response.json()) <= {"quantity", "needed_by"}, response.json()
            assert database_state() == before
            # A number is refused only when it is no whole number of units from 1 to 100,000, or it is late.
            if isinstance(quantity, int | float) and hours >= 0:
                assert not (float(quantity).is_integer() and 1 <= quantity <= 100_000), quantity
        transaction.set_rollback(True)
