"""A list counts exactly up to EXACT_COUNT_LIMIT rows and estimates past it, saying so (core/counting.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commonground.core.counting import list_count
from commonground.core.tlp import TLP
from commonground.resources.models import Resource

from .factories import ResourceFactory

HIDDEN = "HIDDEN-COUNT-MARKER-7731"


def resources(table, visible: int, hidden_between: int = 0):
    """Visible resources of the table, each followed by resources the member may not see."""
    for n in range(visible):
        ResourceFactory(name=f"Pump {n}", community=table.community, organization=table.private_org)
        for _ in range(hidden_between):
            ResourceFactory(
                name=HIDDEN, community=table.other_community, organization=table.outside_org, tlp=TLP.AMBER
            )


def listed(user, **params) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/resources/", {"community": "riverbend", **params})
    assert response.status_code == 200
    return response.json()


def test_a_list_within_the_limit_is_counted_exactly_in_one_query(table, settings):
    settings.EXACT_COUNT_LIMIT = 5
    resources(table, 5, hidden_between=1)
    body = listed(table.member)
    assert (body["count"], body["count_is_estimate"]) == (5, False)
    with CaptureQueriesContext(connection) as captured:
        counted = list_count(Resource.objects.filter(community=table.community))
    assert len(captured.captured_queries) == 1
    assert (counted.value, counted.is_estimate) == (5, False)


def test_a_list_past_the_limit_is_estimated_and_says_so(table, settings):
    settings.EXACT_COUNT_LIMIT = 3
    resources(table, 10, hidden_between=1)
    body = listed(table.member)
    assert body["count_is_estimate"] is True
    assert 8 <= body["count"] <= 12, body["count"]
    assert HIDDEN not in str(body)
    assert len(body["results"]) == 10


def test_a_filter_that_narrows_the_list_under_the_limit_counts_exactly(table, settings):
    settings.EXACT_COUNT_LIMIT = 3
    resources(table, 10)
    ResourceFactory(name="Water tender", community=table.community, organization=table.private_org)
    body = listed(table.member, q="tender")
    assert (body["count"], body["count_is_estimate"]) == (1, False)
    assert [r["name"] for r in body["results"]] == ["Water tender"]


def test_the_estimate_is_never_below_what_was_counted(table, settings):
    settings.EXACT_COUNT_LIMIT = 3
    # the first rows dense, the rest far apart in key order: the sample underestimates, the bound holds
    resources(table, 4)
    resources(table, 2, hidden_between=40)
    counted = list_count(Resource.objects.filter(community=table.community))
    assert counted.is_estimate and counted.value >= 4


@pytest.mark.parametrize("limit, about", [(3, True), (1000, False)])
def test_the_page_says_about_only_for_an_estimate(table, settings, client, limit, about):
    settings.EXACT_COUNT_LIMIT = limit
    resources(table, 60)
    client.force_login(table.member)
    page = client.get("/c/riverbend/resources/").content.decode()
    assert ("about 60 resources" in page) is about
    assert ("Page 1 of about 2" in page) is about
    assert ("60 resources" in page) and ("Page 1 of 2" in page or about)


@pytest.mark.parametrize("short", [True, False])
def test_a_page_read_keys_first_is_the_page_of_the_list_for_every_role(table, settings, short):
    from commonground.core.counting import KeysFirst
    from commonground.core.viewer import viewer_for
    from commonground.resources import selectors
    from commonground.resources.short_lists import ShortList

    settings.KEPT_COUNT_ABOVE = 1000 if short else 2  # read whole (short_lists) or a page at a time
    resources(table, 7, hidden_between=1)
    ResourceFactory(name="Alpha red", community=table.community, organization=table.public_org, tlp=TLP.RED)
    for user in (table.member, table.cochair, table.admin, table.outsider, table.facilitator):
        listed_rows = selectors.resource_list(viewer=viewer_for(user), community=table.community)
        paged = selectors.resource_pages(listed_rows)
        assert isinstance(paged, ShortList if short or listed_rows.count() <= 2 else KeysFirst)
        assert [r.pk for r in paged[2:6]] == [r.pk for r in listed_rows[2:6]]
        assert list_count(paged).value == list_count(listed_rows).value


def test_a_text_search_keeps_the_list_order(table):
    for name in ("generator b", "Generator a", "pump", "generator c", "Generator a"):
        ResourceFactory(name=name, community=table.community, organization=table.private_org)
    found = listed(table.member, q="generator")["results"]
    whole = [r for r in listed(table.member)["results"] if r["name"].lower().startswith("generator")]
    assert [r["id"] for r in found] == [r["id"] for r in whole]
    assert [r["name"] for r in found] == ["Generator a", "Generator a", "generator b", "generator c"]


def test_an_estimate_is_kept_and_an_exact_count_is_not(table, settings):
    """A long list is counted and sampled once a while, not on every page; a short one on every request."""
    settings.EXACT_COUNT_LIMIT = 3
    resources(table, 10)
    first = listed(table.member)
    assert first["count_is_estimate"] is True
    with CaptureQueriesContext(connection) as kept:
        again = listed(table.member)
    assert again["count"] == first["count"] and again["count_is_estimate"] is True
    assert not [q for q in kept.captured_queries if "COUNT(" in q["sql"].upper()]
    # an exact count (a narrower list) is counted again after a change
    ResourceFactory(name="Water tender", community=table.community, organization=table.private_org)
    assert listed(table.member, q="tender")["count"] == 1
    ResourceFactory(name="Water tender 2", community=table.community, organization=table.private_org)
    assert listed(table.member, q="tender")["count"] == 2
    settings.COUNT_ESTIMATE_SECONDS = 0  # not kept: counted afresh
    with CaptureQueriesContext(connection) as counted:
        listed(table.member)
    assert [q for q in counted.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_kept_estimate_is_the_viewers_own(table, settings):
    """The key holds the viewer's visibility conditions: one who sees fewer rows is not given another's figure."""
    settings.EXACT_COUNT_LIMIT = 3
    resources(table, 10)
    for _ in range(10):
        ResourceFactory(name=HIDDEN, community=table.community, organization=table.private_org, tlp=TLP.AMBER)
    member = listed(table.member)  # of the private organization: its AMBER ones too
    other = listed(table.other_admin)  # of the public organization: not those
    assert member["count_is_estimate"] and other["count_is_estimate"]
    assert 16 <= member["count"] <= 24 and 8 <= other["count"] <= 12, (member["count"], other["count"])
    assert HIDDEN not in str(other)


def test_a_list_past_the_kept_size_says_estimate_and_is_counted_once_a_while(table, settings):
    """Past KEPT_COUNT_ABOVE rows the count, exact when taken, is kept and said to be an estimate."""
    settings.KEPT_COUNT_ABOVE = 3
    resources(table, 5, hidden_between=1)
    first = listed(table.member)
    assert (first["count"], first["count_is_estimate"]) == (5, True)
    assert HIDDEN not in str(first)
    with CaptureQueriesContext(connection) as kept:
        again = listed(table.member)
    assert (again["count"], again["count_is_estimate"]) == (5, True)
    assert not [q for q in kept.captured_queries if "COUNT(" in q["sql"].upper()]
    short = listed(table.member, q="Pump 1")
    assert (short["count"], short["count_is_estimate"]) == (1, False)


def test_a_kept_list_query_follows_the_viewer(table):
    """resource_list keeps its built query per viewer: a viewer whose facts change reads by the new ones."""
    from commonground.communities.models import CoChair
    from commonground.core.viewer import viewer_for
    from commonground.resources import selectors

    ResourceFactory(name="Amber", community=table.community, organization=table.public_org, tlp=TLP.AMBER)
    before = selectors.resource_list(viewer=viewer_for(table.member), community=table.community)
    assert not before.filter(name="Amber").exists()
    CoChair.objects.create(community=table.community, person=table.member.person)
    fresh = type(table.member).objects.get(pk=table.member.pk)  # the viewer is kept on the user object
    after = selectors.resource_list(viewer=viewer_for(fresh), community=table.community)
    assert after.filter(name="Amber").exists()
    assert (
        not selectors.resource_list(viewer=viewer_for(table.outsider), community=table.community)
        .filter(name="Amber")
        .exists()
    )
