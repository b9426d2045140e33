"""Every form with a location takes one place (a ZIP code, "City, ST" or coordinates) for its coordinates.

A place that cannot be resolved is the place's field error and nothing is written; the latitude and longitude
stay, folded under the place, for whoever wants to type them.
"""

import pytest

from commonground.communities.models import Community
from commonground.core.models import AuditEntry
from commonground.core.testing import page_client
from commonground.incidents.models import Incident, ResourceRequest
from commonground.incidents.tests.factories import make_incident
from commonground.incidents.tests.page_forms import open_form, request_form
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory

LANSING = (42.7325, -84.5555)
UNKNOWN = "Atlantis, ZZ"


def form_data(response, **overrides) -> dict:
    """Return what the form on a page would post unchanged, with `overrides`."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def new_resource(table, **overrides) -> dict:
    data = {"organization": table.private_org.pk, "name": "Reefer trailer", "kind": "equipment", "category": "esf7",
            "quantity": "2", "availability": "available", "terms": "loan", "tlp": "TLP:GREEN",
            "verified_on": "2026-11-01"}  # fmt: skip
    return {**data, **overrides}


@pytest.mark.parametrize("place", ["48901", "Lansing, MI", "42.7325,-84.5555"])
def test_a_resource_placed_by_any_notation_lands_on_the_same_point(table, place):
    response = page_client(table.admin).post("/c/riverbend/resources/new/", new_resource(table, place=place))
    resource = Resource.objects.get(name="Reefer trailer")
    assert response.status_code == 302 and (resource.latitude, resource.longitude) == LANSING


def test_a_resource_whose_place_cannot_be_resolved_is_not_recorded(table):
    client = page_client(table.admin)
    response = client.post("/c/riverbend/resources/new/", new_resource(table, place=UNKNOWN))
    assert response.status_code == 200 and "place" in response.context["form"].errors
    assert "Atlantis, ZZ is known" in response.content.decode()
    assert not Resource.objects.exists() and not AuditEntry.objects.exists()


def test_a_changed_resource_takes_the_place_and_a_bad_place_changes_nothing(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org, name="Pump")
    client = page_client(table.admin)
    path = f"/resources/{resource.pk}/edit/"
    entries = AuditEntry.objects.count()
    refused = client.post(path, form_data(client.get(path), place=UNKNOWN))
    assert refused.status_code == 200 and "place" in refused.context["form"].errors
    resource.refresh_from_db()
    assert (resource.latitude, resource.longitude) == (42.73, -84.55)
    assert AuditEntry.objects.count() == entries
    assert client.post(path, form_data(client.get(path), place="Lansing, MI")).status_code == 302
    resource.refresh_from_db()
    assert (resource.latitude, resource.longitude) == LANSING


def test_the_form_shows_one_place_and_folds_the_coordinates(table):
    html = page_client(table.admin).get("/c/riverbend/resources/new/").content.decode()
    place, folded = html.index('name="place"'), html.index('<details class="place-coordinates"')
    assert place < folded < html.index('name="latitude"') < html.index("</details>")
    assert 'name="name"' in html  # the other fields are still drawn


def test_an_organization_is_placed_by_its_place(table):
    client = page_client(table.admin)
    path = f"/organizations/{table.private_org.pk}/edit/"
    assert client.post(path, form_data(client.get(path), place="48901")).status_code == 302
    table.private_org.refresh_from_db()
    assert (table.private_org.latitude, table.private_org.longitude) == LANSING


def community_form(**overrides) -> dict:
    data = {"name": "Oakridge", "slug": "oakridge", "kind": "city", "state": "MI", "time_zone": "America/Detroit",
            "coverage_threshold": "60", "assessment_threshold": "50"}  # fmt: skip
    return {**data, **overrides}


def test_a_community_centred_on_a_city(client, table):
    client.force_login(table.facilitator)
    assert client.post("/communities/new/", community_form(place="Lansing, MI")).status_code == 302
    community = Community.objects.get(slug="oakridge")
    assert (community.center_latitude, community.center_longitude) == LANSING


@pytest.mark.parametrize(
    ("given", "message"),
    [({"place": UNKNOWN}, "is known here"), ({}, "Give the place, or its latitude and longitude.")],
)
def test_a_community_without_a_resolvable_centre_is_not_started(client, table, given, message):
    client.force_login(table.facilitator)
    response = client.post("/communities/new/", community_form(**given))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Community.objects.filter(slug="oakridge").exists()


def test_an_incident_opened_at_a_zip_code(table):
    data = open_form(table, latitude="", longitude="", place="48901")
    assert page_client(table.cochair).post("/c/riverbend/incidents/new/", data).status_code == 302
    incident = Incident.objects.get()
    assert (incident.latitude, incident.longitude) == LANSING


def test_an_incident_whose_place_cannot_be_resolved_is_not_opened(table):
    response = page_client(table.cochair).post("/c/riverbend/incidents/new/", open_form(table, place=UNKNOWN))
    assert response.status_code == 200 and "place" in response.context["form"].errors
    assert not Incident.objects.exists() and not AuditEntry.objects.exists()


def test_a_request_delivered_to_a_city_and_a_bad_place_requests_nothing(table):
    incident = make_incident(table.community, table.public_org)
    client = page_client(table.member)
    path = f"/incidents/{incident.pk}/requests/new/"
    refused = client.post(path, request_form(table, place=UNKNOWN))
    assert refused.status_code == 200 and "place" in refused.context["form"].errors
    assert not ResourceRequest.objects.exists()
    delivered = client.post(path, request_form(table, latitude="", longitude="", place="Lansing, MI"))
    assert delivered.status_code == 302
    request = ResourceRequest.objects.get()
    assert (request.latitude, request.longitude) == LANSING
