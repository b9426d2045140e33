"""The incidents' REST API, its requests, plan, assignments, timeline and alerts: each transition, bad
input as field errors with nothing written, each reader shown what it may see."""

import datetime

import pytest
from django.utils import timezone

from commonground.core.testing import api_client, database_state
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, RequestState
from commonground.incidents.models import Plan, ResourceRequest, TimelineEntry
from commonground.resources.tests.factories import ResourceFactory

from .alerting import URLS, assert_valid_cap
from .api_bodies import refused_with, request_body
from .records import assign, open_incident, plan_of, post_request

# The alerts link to the incident's pages: their addresses, until urls.py includes the incidents app.
pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

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
