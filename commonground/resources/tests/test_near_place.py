"""The distance search takes a place as people name it: a ZIP code, a "City, ST", or coordinates."""

import pytest

from commonground.core.testing import api_client, page_client
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory

NOTATIONS = ["48901", "Lansing, MI", "42.7325,-84.5555"]


@pytest.fixture
def placed(table):
    common = {"community": table.community, "organization": table.private_org}
    ResourceFactory(name="Downtown pump", latitude=42.733, longitude=-84.556, **common)
    ResourceFactory(name="East Lansing pump", latitude=42.736, longitude=-84.484, **common)
    ResourceFactory(name="Detroit pump", latitude=42.331, longitude=-83.046, **common)
    return table


def test_a_place_in_any_notation_finds_the_same_resources_nearest_first(placed):
    found = set()
    for near in NOTATIONS:
        query = {"near": near, "radius_km": 10, "community": "riverbend"}
        answer = api_client(placed.member).get("/api/v1/resources/", query).json()
        names = [r["name"] for r in answer["results"]]
        page = page_client(placed.member).get("/c/riverbend/resources/", {"near": near, "radius_km": 10})
        assert [r.name for r in page.context["page_obj"]] == names
        found.add(tuple(names))
    assert found == {("Downtown pump", "East Lansing pump")}


@pytest.mark.parametrize("near", ["Atlantis, ZZ", "00000", "somewhere"])
def test_a_place_that_cannot_be_resolved_is_a_field_error(placed, near):
    refused = api_client(placed.member).get("/api/v1/resources/", {"near": near})
    assert refused.status_code == 400 and "near" in refused.json()
    page = page_client(placed.member).get("/c/riverbend/resources/", {"near": near})
    assert page.status_code == 200 and "near" in page.context["filterset"].errors
    assert not page.context["page_obj"].object_list and Resource.objects.count() == 3
