"""The co-chairs a page lists and those the API lists come from one selector, for every role."""

import pytest

from commonground.communities.models import CoChair, Community
from commonground.communities.selectors import cochair_list
from commonground.communities.tests.factories import CoChairFactory
from commonground.core.testing import api_client, page_client
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import PersonFactory

ROLES = ["facilitator", "cochair", "admin", "other_admin", "member", "outsider"]


def _page_cochairs(user, slug: str) -> set[int]:
    response = page_client(user).get(f"/c/{slug}/leadership/")
    if response.status_code == 404:
        return set()
    assert response.status_code == 200
    return {cochair.pk for cochair in response.context["cochairs"]}


def _api_cochairs(user, **query: str) -> set[int]:
    response = api_client(user).get("/api/v1/cochairs/", {**query, "page_size": 200})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_page_and_api_list_the_same_cochairs_for_every_role(table, role):
    CoChairFactory(
        community=table.other_community, person=PersonFactory(organization=table.outside_org, role="admin")
    )
    user = table.user(role)
    by_page = {slug: _page_cochairs(user, slug) for slug in ("riverbend", "elsewhere")}
    for slug, cochairs in by_page.items():
        assert _api_cochairs(user, community=slug) == cochairs
    assert _api_cochairs(user) == by_page["riverbend"] | by_page["elsewhere"]
    assert by_page["riverbend"] | by_page["elsewhere"], "every role sees the co-chairs of its own table"


@pytest.mark.parametrize("role", ["facilitator", "cochair", "admin", "member", "outsider"])
def test_the_cochairs_of_a_named_community_are_those_of_the_communities_the_viewer_may_open(table, role):
    """`cochair_list` of one community asks `viewer.is_member_of` instead of a subquery: the same co-chairs."""
    CoChairFactory(community=table.other_community)
    viewer = viewer_for(table.user(role))
    for community in (table.community, table.other_community):
        rule = CoChair.objects.filter(community__in=Community.objects.visible_to(viewer), community=community)
        listed = cochair_list(viewer=viewer, community=community)
        assert sorted(c.pk for c in listed) == sorted(rule.values_list("pk", flat=True))
        assert bool(listed) is viewer.is_member_of(community.pk)
