"""The organization list API finds the community of `?community=` among the reader's own, read with the reader
(`Viewer.community_key`, `community_by_key`), not by a query of its own: the same organizations as before for every
reader, a community not the reader's lists nothing (a facilitator's is read by its slug), and one query fewer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commonground.accounts.services import token_create
from commonground.communities.api.mixins import CommunityParameterMixin
from commonground.core.counting import forget_compiled
from commonground.core.kept_rows import forget_kept_rows
from commonground.registry.api.views import OrganizationViewSet
from commonground.registry.models import Organization

READERS = ["member", "cochair", "admin", "other_admin", "outsider", "facilitator"]
pytestmark = pytest.mark.usefixtures("fresh_kept")


def _names(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/organizations/{query}")
    assert response.status_code == 200, (query, response.content[:300])
    return [row["name"] for row in response.json()["results"]]


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=None, user=user, name='list')[1]}")
    return client


@pytest.mark.parametrize("reader", READERS)
def test_each_reader_lists_the_organizations_of_its_own_communities_only(table, reader, monkeypatch):
    """For each reader and each slug (its own, another's, none's), with filters: the same names as when the
    community is read by its slug, and no organization of a community the reader may not open."""
    user = table.user(reader)
    client = _client(user)
    queries = [f"?community={slug}{extra}" for slug in ("riverbend", "elsewhere", "nowhere")
               for extra in ("", "&q=a", "&sector=public", "&page_size=1")]  # fmt: skip
    by_key = {query: _names(client, query) for query in queries}
    monkeypatch.setattr(OrganizationViewSet, "community_by_key", False)
    forget_compiled()
    forget_kept_rows()
    assert {query: _names(client, query) for query in queries} == by_key
    elsewhere = set(Organization.objects.in_community(table.other_community).values_list("name", flat=True))
    riverbend = set(Organization.objects.in_community(table.community).values_list("name", flat=True))
    if reader in ("member", "cochair", "admin"):
        assert set(by_key["?community=riverbend"]) == riverbend and not by_key["?community=elsewhere"]
    if reader == "facilitator":
        assert set(by_key["?community=elsewhere"]) == elsewhere
    assert not by_key["?community=nowhere"]


def test_the_community_is_read_with_the_reader(table):
    """A member's `?community=` costs no query of its own: one fewer than when it is read by its slug."""
    client = _client(table.member)
    client.get("/api/v1/organizations/?community=riverbend")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/organizations/?community=riverbend").status_code == 200
        return len(captured)

    by_key = queries()
    OrganizationViewSet.community_by_key = False
    try:
        by_slug = queries()
    finally:
        OrganizationViewSet.community_by_key = True
    assert by_key == by_slug - 1
    assert CommunityParameterMixin.community_by_key is False
