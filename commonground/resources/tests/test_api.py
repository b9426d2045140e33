import pytest
from rest_framework.test import APIClient

from commonground.core.tlp import TLP

from .factories import ResourceFactory


@pytest.fixture
def api(table):
    client = APIClient()
    client.force_authenticate(table.member)
    return client


def test_the_distance_search_gives_the_nearest_first_with_distances_and_other_filters(table, api):
    common = {"community": table.community, "organization": table.private_org}
    ResourceFactory(name="Small generator", capacity=7, latitude=42.731, longitude=-84.55, **common)
    ResourceFactory(name="Big far generator", capacity=500, latitude=42.90, longitude=-84.55, **common)
    ResourceFactory(name="Big near generator", capacity=250, latitude=42.75, longitude=-84.55, **common)
    ResourceFactory(
        name="Committed generator",
        capacity=250,
        latitude=42.73,
        longitude=-84.55,
        availability="committed",
        **common,
    )
    ResourceFactory(name="Out of range", capacity=900, latitude=44.0, longitude=-84.55, **common)
    response = api.get(
        "/api/v1/resources/",
        {"near": "42.73,-84.55", "radius_km": 25, "kind": "equipment", "availability": "available", "capacity_min": 100, "community": "riverbend"},
    )  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert [r["name"] for r in data["results"]] == ["Big near generator", "Big far generator"]
    assert data["count"] == 2
    assert data["results"][0]["distance_km"] == pytest.approx(2.22, abs=0.05)
    assert data["results"][0]["distance_km"] < data["results"][1]["distance_km"] <= 25


def test_without_near_there_is_no_distance(api, table):
    ResourceFactory(community=table.community, organization=table.private_org)
    assert api.get("/api/v1/resources/").json()["results"][0]["distance_km"] is None


@pytest.mark.parametrize(
    "query",
    [{"near": "abc"}, {"near": "91,0"}, {"near": "1,2,3"}, {"near": "1,2", "radius_km": -1},
     {"near": "1,2", "radius_km": 100000}, {"kind": "spaceship"}, {"capacity_min": "lots"}, {"category": "esf99"}],
)  # fmt: skip
def test_bad_search_parameters_are_400_with_the_field_named(api, query):
    response = api.get("/api/v1/resources/", query)
    assert response.status_code == 400
    assert set(response.json()) & set(query)


def test_text_search_through_the_api(api, table):
    ResourceFactory(name="Refrigerated trailer", community=table.community, organization=table.private_org)
    ResourceFactory(name="Forklift", community=table.community, organization=table.private_org)
    names = [r["name"] for r in api.get("/api/v1/resources/", {"q": "refrig"}).json()["results"]]
    assert names == ["Refrigerated trailer"]


def test_markings_decide_who_finds_a_resource(table):
    strict = ResourceFactory(tlp=TLP.AMBER_STRICT, community=table.community, organization=table.private_org)
    green_elsewhere = ResourceFactory(
        tlp=TLP.GREEN, community=table.other_community, organization=table.outside_org
    )
    seen = {}
    for role in ("member", "cochair", "outsider"):
        client = APIClient()
        client.force_authenticate(getattr(table, role))
        seen[role] = {
            r["id"]
            for r in client.get("/api/v1/resources/", {"near": "42.73,-84.55", "radius_km": 50}).json()[
                "results"
            ]
        }
    assert strict.pk in seen["member"] and strict.pk not in seen["cochair"]
    assert green_elsewhere.pk in seen["outsider"] and green_elsewhere.pk not in seen["member"]


def test_a_resource_keeps_its_organization(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org)
    client = APIClient()
    client.force_authenticate(table.cochair)
    response = client.patch(
        f"/api/v1/resources/{resource.pk}/", {"organization": table.public_org.pk}, format="json"
    )
    assert response.status_code == 400


def test_the_hand_written_representation_is_exactly_drfs(table):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from commonground.registry.tests.factories import PersonFactory
    from commonground.resources.api.serializers import ResourceSerializer
    from commonground.resources.models import Resource
    from commonground.resources.spatial import Near, NearestFirst

    person = PersonFactory(organization=table.private_org)
    full = ResourceFactory(
        community=table.community, organization=table.private_org, capability_type=2, description="A",
        person=None, contact=person, deploy_hours=1.5, address="1 Main St", city="Riverbend", state="MI",
        zip_code="48933", tlp=TLP.AMBER, terms="mutual_aid", availability="committed", unit="each", quantity=2.5,
    )  # fmt: skip
    full.recipient_organizations.set([table.public_org])
    full.recipient_people.set([person])
    ResourceFactory(
        community=table.community, organization=table.private_org, latitude=None, longitude=None,
        capacity=None, capacity_unit="",
    )  # fmt: skip
    request = Request(APIRequestFactory().get("/"))
    request.user = table.cochair
    serializer = ResourceSerializer(context={"request": request})
    queryset = Resource.objects.select_related("organization", "community").prefetch_related(
        "recipient_organizations", "recipient_people"
    )
    rows = list(queryset) + list(NearestFirst(queryset, Near(42.73, -84.55, 5))[0:5])
    for resource in rows:
        assert serializer.to_representation(resource) == serializer.generic_representation(resource)
    # A list writes its page with the zone and the staleness day read once (ResourceListSerializer).
    many = ResourceSerializer(rows, many=True, context={"request": request}).data
    assert many == [serializer.generic_representation(resource) for resource in rows]
    assert [list(row) for row in many] == [list(serializer.generic_representation(rows[0]))] * len(rows)


def test_a_resource_is_read_by_its_key_whatever_the_list_filters_say(table, api):
    resource = ResourceFactory(
        community=table.community, organization=table.private_org, latitude=10, longitude=10
    )
    # Far outside the circle and of another kind: a list's filters do not apply to a single record.
    response = api.get(
        f"/api/v1/resources/{resource.pk}/", {"near": "42.73,-84.55", "radius_km": 5, "kind": "team"}
    )
    assert response.status_code == 200
    assert response.json()["id"] == resource.pk


def test_the_page_and_the_api_run_the_same_distance_search(table, api, client):
    common = {"community": table.community, "organization": table.private_org}
    ResourceFactory(name="Far pump", latitude=42.90, longitude=-84.55, **common)
    ResourceFactory(name="Near pump", latitude=42.74, longitude=-84.55, **common)
    ResourceFactory(name="Out of reach pump", latitude=44.0, longitude=-84.55, **common)
    query = {"near": "42.73,-84.55", "radius_km": 25}
    api_names = [r["name"] for r in api.get("/api/v1/resources/", query).json()["results"]]
    client.force_login(table.member)
    page = client.get("/c/riverbend/resources/", query)
    assert api_names == ["Near pump", "Far pump"]
    assert [r.name for r in page.context["page_obj"]] == api_names
    assert page.context["near"].radius_km == 25
