"""The resource list's SQL kept by what it is made of (core.counting.compiled): each list still gets its own rows."""

import pytest
from rest_framework.test import APIClient

from commonground.core.counting import KeysFirst, forget_compiled
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.resources import selectors
from commonground.resources.filtersets import ResourceFilterSet

from .factories import ResourceFactory


@pytest.fixture(autouse=True)
def _fresh():
    forget_compiled()
    yield
    forget_compiled()


def _names(client, **params):
    response = client.get("/api/v1/resources/", {"community": "riverbend", **params})
    assert response.status_code == 200
    return [r["name"] for r in response.json()["results"]], response.json()["count"]


def test_each_filter_and_value_reads_its_own_rows_after_another_was_kept(table):
    common = {"community": table.community, "organization": table.private_org}
    ResourceFactory(name="Generator", kind="equipment", category="esf12", **common)
    ResourceFactory(name="Water pallets", kind="supply", category="esf6", **common)
    ResourceFactory(name="Generator crew", kind="team", category="esf12", **common)
    client = APIClient()
    client.force_authenticate(table.member)
    for _ in range(2):  # the second round reads every list by its kept SQL
        assert _names(client) == (["Generator", "Generator crew", "Water pallets"], 3)
        assert _names(client, kind="equipment") == (["Generator"], 1)
        assert _names(client, kind="supply") == (["Water pallets"], 1)
        assert _names(client, category="esf12") == (["Generator", "Generator crew"], 2)
        assert _names(client, category="esf12", kind="team") == (["Generator crew"], 1)
        assert _names(client, q="generator") == (["Generator", "Generator crew"], 2)
        assert _names(client, q="water") == (["Water pallets"], 1)
        assert _names(client, page_size=1, page=2) == (["Generator crew"], 3)


def test_each_reader_has_their_own_kept_list(table):
    ResourceFactory(
        name="Amber stockpile", community=table.community, organization=table.private_org, tlp=TLP.AMBER
    )
    ResourceFactory(name="Green stockpile", community=table.community, organization=table.private_org)
    owner, other = APIClient(), APIClient()
    owner.force_authenticate(table.member)
    other.force_authenticate(table.other_admin)
    for _ in range(2):
        assert _names(owner, q="stockpile") == (["Amber stockpile", "Green stockpile"], 2)
        assert _names(other, q="stockpile") == (["Green stockpile"], 1)
        assert _names(owner) == (["Amber stockpile", "Green stockpile"], 2)
        assert _names(other) == (["Green stockpile"], 1)


def test_a_kept_page_is_the_page_the_orm_reads(table):
    for number in range(7):
        ResourceFactory(name=f"Cot {number}", community=table.community, organization=table.private_org)
    viewer = viewer_for(table.member)
    listed = selectors.resource_list(viewer=viewer, community=table.community)
    filterset = ResourceFilterSet({"q": "cot"}, queryset=listed)
    assert filterset.is_valid()
    kept = KeysFirst(filterset.qs, rows=selectors.PageRows(), sql_key=filterset.qs.list_key)
    plain = KeysFirst(filterset.qs.all(), rows=selectors.PageRows())
    assert plain.sql_key is None
    for window in (slice(0, 3), slice(3, 6), slice(6, 9), slice(2, 2)):
        for _ in range(2):
            assert [r.pk for r in kept[window]] == [r.pk for r in plain[window]]
    assert kept.count() == plain.count() == 7


def test_a_list_changed_after_it_was_named_carries_no_name(table):
    viewer = viewer_for(table.member)
    listed = selectors.resource_list(viewer=viewer, community=table.community)
    assert listed.list_key is not None
    assert getattr(listed.filter(kind="equipment"), "list_key", None) is None
    assert getattr(listed.none(), "list_key", None) is None


def test_each_circle_reads_its_own_rows_after_another_was_kept(table):
    common = {"community": table.community, "organization": table.private_org}
    ResourceFactory(name="Here", latitude=42.73, longitude=-84.55, **common)
    ResourceFactory(name="North", latitude=42.90, longitude=-84.55, **common)
    ResourceFactory(name="Far north", latitude=44.0, longitude=-84.55, **common)
    client = APIClient()
    client.force_authenticate(table.member)
    for _ in range(2):
        assert _names(client, near="42.73,-84.55", radius_km=5) == (["Here"], 1)
        assert _names(client, near="42.73,-84.55", radius_km=50) == (["Here", "North"], 2)
        assert _names(client, near="44.0,-84.55", radius_km=50) == (["Far north"], 1)
        assert _names(client, near="42.90,-84.55", radius_km=50) == (["North", "Here"], 2)
        assert _names(client, near="42.73,-84.55", radius_km=50, q="north") == (["North"], 1)
