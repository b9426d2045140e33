"""The co-chairs a page lists and those the API lists come from one selector, for every role."""

import pytest

from commonground.communities.tests.factories import CoChairFactory
from commonground.core.testing import api_client, page_client
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
