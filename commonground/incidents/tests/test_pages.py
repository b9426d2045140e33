"""The incident pages: the list, opening an incident, its area, the banner every page of a community shows,
changing an incident; the board and what is done from it are in test_board_pages.py."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents.choices import IncidentStatus
from commonground.incidents.models import Incident
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory

from .factories import make_incident, make_request
from .page_forms import nothing_written, open_form

pytestmark = pytest.mark.django_db
SQUARE = {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8], [-84.6, 42.7]]]}  # fmt: skip


def test_the_list_shows_open_and_past_incidents_and_the_open_button_to_those_who_may(table):
    current = make_incident(table.community, table.public_org, title="Flooded underpass")
    past = make_incident(
        table.community, table.public_org, title="Ice storm of March", status=IncidentStatus.CLOSED,
        started_at=timezone.now() - datetime.timedelta(days=200), closed_at=timezone.now() - datetime.timedelta(days=190),
    )  # fmt: skip
    page = page_client(table.member).get("/c/riverbend/incidents/")
    assert page.status_code == 200
    assert [i.pk for i in page.context["current"]] == [current.pk]
    assert [i.pk for i in page.context["page_obj"]] == [past.pk]
    assert not page.context["may_open"] and "Open an incident" not in page.content.decode()
    for user in (table.cochair, table.other_admin, table.facilitator):  # the fire department's admin may
        assert "Open an incident" in page_client(user).get("/c/riverbend/incidents/").content.decode()
    assert not page_client(table.admin).get("/c/riverbend/incidents/").context["may_open"]  # a logistics firm


def test_the_list_is_marked_by_the_narrowest_incident_it_shows(table):
    make_incident(table.community, table.public_org, tlp=TLP.GREEN)
    assert page_client(table.cochair).get("/c/riverbend/incidents/").context["tlp_marking"] == TLP.GREEN
    make_incident(table.community, table.public_org, tlp=TLP.AMBER)
    assert page_client(table.cochair).get("/c/riverbend/incidents/").context["tlp_marking"] == TLP.AMBER
    # A member of another organization does not see the TLP:AMBER one, so it does not mark their page.
    member = page_client(table.member).get("/c/riverbend/incidents/")
    assert member.context["tlp_marking"] == TLP.GREEN and len(member.context["current"]) == 1


def test_another_communitys_incident_is_missing(table):
    mine = make_incident(table.community, table.public_org)
    theirs = make_incident(table.other_community, table.outside_org)
    request = make_request(theirs, table.outside_org)
    member = page_client(table.member)
    for path in (f"/incidents/{theirs.pk}/", f"/incidents/{theirs.pk}/live/", f"/incidents/{theirs.pk}/requests/new/",
                 f"/requests/{request.pk}/", "/c/elsewhere/incidents/"):  # fmt: skip
        assert member.get(path).status_code == 404, path
    assert member.post(f"/requests/{request.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert page_client(table.outsider).get(f"/incidents/{mine.pk}/").status_code == 404


# Opening an incident


def test_a_cochair_opens_an_incident_with_a_point_and_radius(table):
    response = page_client(table.cochair).post("/c/riverbend/incidents/new/", open_form(table))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert (incident.organization, incident.radius_km, incident.tlp) == (table.public_org, 15, TLP.GREEN)
    assert incident.cap_category  # taken from the hazard
    assert incident.timeline.filter(text__contains="opened").exists()
    board = page_client(table.member).get(incident.get_absolute_url())
    assert board.status_code == 200 and "EF3 tornado, east side" in board.content.decode()


def test_an_area_drawn_as_a_polygon_is_stored_as_geojson(table):
    data = open_form(table, latitude="", longitude="", radius_km="", polygon=json.dumps(SQUARE))
    assert page_client(table.cochair).post("/c/riverbend/incidents/new/", data).status_code == 302
    incident = Incident.objects.get()
    assert incident.polygon == SQUARE and incident.latitude is None
    area = page_client(table.cochair).get(incident.get_absolute_url()).context["board"].map["area"]
    assert area["type"] == "polygon" and area["points"][0] == [
        42.7,
        -84.6,
    ]  # [latitude, longitude] for Leaflet


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": "", "longitude": "", "radius_km": "",
          "polygon": '{"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8]]]}'}, "polygon"),
        ({"latitude": "", "longitude": "", "radius_km": "",
          "polygon": '{"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.8], [-84.5, 42.7], [-84.6, 42.8], [-84.6, 42.7]]]}'}, "polygon"),
        ({"latitude": "", "longitude": "", "radius_km": "", "polygon": "{not json"}, "polygon"),
        ({"radius_km": "10000"}, "radius_km"),
        ({"latitude": "", "longitude": "", "radius_km": ""}, "polygon"),
        ({"latitude": "142"}, "latitude"),
        ({"title": ""}, "title"),
    ],
    ids=["not-closed", "crossing", "not-json", "radius-10000-km", "no-area", "latitude-off-the-map", "no-title"],
)  # fmt: skip
def test_a_bad_area_is_a_field_error_and_nothing_is_written(table, overrides, field):
    response = page_client(table.cochair).post("/c/riverbend/incidents/new/", open_form(table, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert f'id="id_{field}_error"' in response.content.decode()  # shown beside the field
    assert nothing_written()


def test_the_crossing_polygon_says_so(table):
    crossing = '{"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.8], [-84.5, 42.7], [-84.6, 42.8], [-84.6, 42.7]]]}'
    data = open_form(table, latitude="", longitude="", radius_km="", polygon=crossing)
    errors = page_client(table.cochair).post("/c/riverbend/incidents/new/", data).context["form"].errors
    assert "cross" in " ".join(errors["polygon"])


def test_an_admin_of_a_public_safety_organization_opens_only_in_its_name(table):
    client = page_client(table.other_admin)  # the fire department's admin
    form = client.get("/c/riverbend/incidents/new/").context["form"]
    assert list(form.fields["organization"].queryset) == [table.public_org]
    refused = client.post("/c/riverbend/incidents/new/", open_form(table, organization=table.private_org.pk))
    assert "organization" in refused.context["form"].errors and nothing_written()
    assert client.post("/c/riverbend/incidents/new/", open_form(table)).status_code == 302
    for user in (table.admin, table.member):  # a logistics firm's admin, a member
        assert page_client(user).get("/c/riverbend/incidents/new/").status_code == 403


# The banner


def test_every_page_of_the_community_shows_the_open_incidents_the_reader_may_see(table):
    make_incident(table.community, table.public_org, title="Chlorine leak at the port", tlp=TLP.GREEN)
    make_incident(table.community, table.public_org, title="Cyber attack on the utility", tlp=TLP.AMBER)
    make_incident(table.community, table.public_org, title="Exercise Blue Ice", is_exercise=True)
    make_incident(
        table.community, table.public_org, title="Last spring's flood", status=IncidentStatus.CLOSED
    )
    member, cochair = page_client(table.member), page_client(table.cochair)
    for path in ("/c/riverbend/", "/c/riverbend/resources/", "/c/riverbend/organizations/"):
        seen = member.get(path).content.decode()
        assert "Chlorine leak at the port" in seen and "Exercise Blue Ice" in seen, path
        assert "Cyber attack on the utility" not in seen and "Last spring's flood" not in seen, path
        assert "Cyber attack on the utility" in cochair.get(path).content.decode()
    assert "Chlorine leak" not in page_client(table.outsider).get("/c/elsewhere/").content.decode()


def test_the_banner_costs_one_query(table):
    client = page_client(table.member)
    client.get("/c/riverbend/resources/")
    with CaptureQueriesContext(connection) as none:
        client.get("/c/riverbend/resources/")
    for n in range(3):
        make_incident(table.community, table.public_org, title=f"Incident {n}")
    with CaptureQueriesContext(connection) as three:
        page = client.get("/c/riverbend/resources/")
    assert "Incident 2" in page.content.decode()
    assert len(three) == len(none)
    banner = [q["sql"] for q in three.captured_queries if "incidents_incident" in q["sql"]]
    assert len(banner) == 1, banner


def test_the_resource_form_offers_the_owner_disclosure_in_incidents(table):
    form = page_client(table.admin).get("/c/riverbend/resources/new/")
    assert 'name="disclosed_in_incidents"' in form.content.decode()
    resource = ResourceFactory(
        community=table.community, organization=table.private_org, disclosed_in_incidents=True
    )
    assert (
        "Disclosed to an active incident"
        in page_client(table.admin).get(resource.get_absolute_url()).content.decode()
    )
    assert Resource.objects.filter(disclosed_in_incidents=True).count() == 1


def test_the_leadership_changes_an_incident_and_the_partnership_is_told(table):
    client = page_client(table.cochair)
    client.post("/c/riverbend/incidents/new/", open_form(table))
    incident = Incident.objects.get()
    form = client.get(f"/incidents/{incident.pk}/edit/").context["form"]
    assert "organization" not in form.fields
    data = open_form(table, status="stabilizing", severity="Moderate")
    data.pop("organization")
    bad = client.post(f"/incidents/{incident.pk}/edit/", {**data, "radius_km": "10000"})
    assert bad.status_code == 200 and "radius_km" in bad.context["form"].errors
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE and incident.alerts.count() == 1
    assert client.post(f"/incidents/{incident.pk}/edit/", data).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.severity) == ("stabilizing", "Moderate")
    assert incident.alerts.filter(msg_type="Update").count() == 1
    assert incident.timeline.filter(text__startswith="Incident updated").exists()
    assert page_client(table.member).get(f"/incidents/{incident.pk}/edit/").status_code == 403


def test_a_visitor_would_see_only_the_tlp_clear_incidents_in_the_banner(table, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    make_incident(table.community, table.public_org, title="Boil-water notice downtown", tlp=TLP.CLEAR)
    make_incident(table.community, table.public_org, title="Water plant intrusion", tlp=TLP.GREEN)
    request = rf.get("/")
    request.user = AnonymousUser()
    html = Template("{% load incident_tags %}{% incident_banner %}").render(
        Context({"community": table.community, "request": request})
    )
    assert "Boil-water notice downtown" in html and "Water plant intrusion" not in html
