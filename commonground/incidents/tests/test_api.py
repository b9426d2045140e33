"""The incidents' REST API: each incident endpoint, operational periods and GeoJSON, bad input as field errors
with nothing written, another community's incident a 404, the markings applied to every answer, constant query
counts; the requests and what follows them are in test_api_requests.py."""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.testing import api_client, database_state
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, IncidentStatus, RequestState
from commonground.incidents.models import Assignment, Incident, ResourceRequest
from commonground.incidents.services.incidents import incident_open
from commonground.resources.tests.factories import ResourceFactory

from .alerting import URLS
from .api_bodies import SQUARE, incident_body, refused_with, request_body
from .records import LATITUDE, LONGITUDE, assign, later, open_incident, plan_of, post_request, tornado

# The alerts link to the incident's pages: their addresses, until urls.py includes the incidents app.
pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]
HYPOTHESIS = settings(max_examples=25)

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
