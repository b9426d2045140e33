"""A community keeps its time zone: chosen at creation on the page and through the API, checked against IANA."""

from commonground.communities.models import Community
from commonground.core.testing import api_client, page_client

FORM = {
    "name": "Oakridge", "slug": "oakridge", "kind": "city", "state": "MI", "center_latitude": "42.6",
    "center_longitude": "-84.5", "coverage_threshold": "60", "assessment_threshold": "50",
}  # fmt: skip


def test_a_facilitator_chooses_the_time_zone_when_starting_a_community(table):
    response = page_client(table.facilitator).post(
        "/communities/new/", {**FORM, "time_zone": "America/Detroit"}
    )
    assert response.status_code == 302
    assert Community.objects.get(slug="oakridge").time_zone == "America/Detroit"


def test_the_create_form_offers_the_zones_with_the_default_chosen(table, settings):
    settings.COMMUNITY_DEFAULT_TIME_ZONE = "America/Chicago"
    form = page_client(table.facilitator).get("/communities/new/").content.decode()
    assert '<option value="America/Chicago" selected>' in form and '<option value="America/Detroit">' in form


def test_a_zone_that_is_not_an_iana_name_is_a_field_error_and_writes_nothing(table):
    client = page_client(table.facilitator)
    response = client.post("/communities/new/", {**FORM, "time_zone": "Michigan/Lansing"})
    assert response.status_code == 200
    assert "not a time zone name" in str(response.context["form"].errors["time_zone"])
    assert not Community.objects.filter(slug="oakridge").exists()


def test_a_bad_zone_on_the_edit_page_changes_nothing(table):
    before = Community.objects.get(pk=table.community.pk).time_zone
    client = page_client(table.cochair)
    data = {
        k: v for k, v in client.get("/c/riverbend/edit/").context["form"].initial.items() if v is not None
    }
    response = client.post("/c/riverbend/edit/", {**data, "name": "Renamed", "time_zone": "EST5EDT-ish"})
    assert response.status_code == 200 and "time_zone" in response.context["form"].errors
    community = Community.objects.get(pk=table.community.pk)
    assert (community.name, community.time_zone) == ("Riverbend", before)


def test_a_cochair_changes_the_zone_on_the_edit_page(table):
    client = page_client(table.cochair)
    data = {
        k: v for k, v in client.get("/c/riverbend/edit/").context["form"].initial.items() if v is not None
    }
    assert client.post("/c/riverbend/edit/", {**data, "time_zone": "America/Denver"}).status_code == 302
    assert Community.objects.get(pk=table.community.pk).time_zone == "America/Denver"


def test_a_community_named_without_a_zone_takes_the_setting(table, settings):
    settings.COMMUNITY_DEFAULT_TIME_ZONE = "America/Phoenix"
    payload = {**FORM, "center_latitude": 42.6, "center_longitude": -84.5}
    response = api_client(table.facilitator).post("/api/v1/communities/", payload, format="json")
    assert response.status_code == 201 and response.json()["time_zone"] == "America/Phoenix"
    assert Community.objects.get(slug="oakridge").time_zone == "America/Phoenix"


def test_the_api_accepts_and_returns_the_zone(table):
    client = api_client(table.facilitator)
    payload = {**FORM, "center_latitude": 42.6, "center_longitude": -84.5, "time_zone": "America/Detroit"}
    response = client.post("/api/v1/communities/", payload, format="json")
    assert response.status_code == 201 and response.json()["time_zone"] == "America/Detroit"
    assert client.get("/api/v1/communities/oakridge/").json()["time_zone"] == "America/Detroit"
    response = client.patch(
        "/api/v1/communities/oakridge/", {"time_zone": "America/Anchorage"}, format="json"
    )
    assert response.status_code == 200
    assert Community.objects.get(slug="oakridge").time_zone == "America/Anchorage"


def test_the_api_refuses_a_bad_zone_with_a_field_error_and_writes_nothing(table):
    client = api_client(table.facilitator)
    payload = {**FORM, "center_latitude": 42.6, "center_longitude": -84.5, "time_zone": "Mars/Olympus_Mons"}
    response = client.post("/api/v1/communities/", payload, format="json")
    assert response.status_code == 400 and "not a time zone name" in response.json()["time_zone"][0]
    assert not Community.objects.filter(slug="oakridge").exists()
    before = Community.objects.get(pk=table.community.pk).time_zone
    response = client.patch("/api/v1/communities/riverbend/", {"time_zone": ""}, format="json")
    assert response.status_code == 400 and "time_zone" in response.json()
    assert Community.objects.get(pk=table.community.pk).time_zone == before
