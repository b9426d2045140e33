"""Beside every location field, a small offline map whose click puts "latitude, longitude" into the place.

The map is drawn over the community's base map (its state and centre, which the form carries to the
renderer); without JavaScript its group stays hidden and the place field works alone. Pages that draw their
own map (the incident forms) get no second one.
"""

import re

import pytest

from commonground.core.testing import page_client
from commonground.incidents.tests.factories import make_incident

MAP = re.compile(r'<div class="place-map" data-place-map ([^>]*)>')


def place_map(html: str) -> dict:
    """Return the data attributes of the page's one place map."""
    found = MAP.findall(html)
    assert len(found) == 1, found
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', found[0]))


def assert_hidden_without_script(html: str) -> None:
    assert '<div class="place-map-group" data-place-map-group hidden>' in html
    assert html.index('name="place"') < html.index("data-place-map") < html.index("place-coordinates")
    assert "commonground/place-map.js" in html and "vendor/leaflet/leaflet.js" in html


@pytest.mark.parametrize("who", ["admin", "cochair"])
def test_a_resource_form_maps_the_place_over_its_community(table, who):
    html = page_client(getattr(table, who)).get("/c/riverbend/resources/new/").content.decode()
    attributes = place_map(html)
    community = table.community
    assert attributes["place"] == "id_place"
    assert (attributes["lat"], attributes["lon"]) == ("id_latitude", "id_longitude")
    assert attributes["state"] == community.get_state_display()
    assert (attributes["center-lat"], attributes["center-lon"]) == (
        str(community.center_latitude),
        str(community.center_longitude),
    )
    assert_hidden_without_script(html)


def test_a_community_form_maps_its_own_centre_and_a_new_one_the_country(table):
    client = page_client(table.facilitator)
    edited = place_map(client.get("/c/riverbend/edit/").content.decode())
    assert edited["lat"] == "id_center_latitude"
    assert edited["center-lat"] == str(table.community.center_latitude)
    started = client.get("/communities/new/").content.decode()
    assert place_map(started)["state"] == "" and place_map(started)["center-lat"] == ""
    assert_hidden_without_script(started)


def test_an_organization_form_maps_a_community_its_editor_sits_in(table):
    html = page_client(table.admin).get(f"/organizations/{table.private_org.pk}/edit/").content.decode()
    assert place_map(html)["state"] == table.community.get_state_display()
    assert_hidden_without_script(html)


def test_the_incident_forms_draw_their_own_map_and_no_second_one(table):
    client = page_client(table.cochair)
    incident = make_incident(table.community, table.public_org)
    for path in ("/c/riverbend/incidents/new/", f"/incidents/{incident.pk}/requests/new/"):
        html = client.get(path).content.decode()
        assert not MAP.search(html) and 'name="place"' in html
