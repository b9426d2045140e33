"""Issue 17's lists: the organization and resource list APIs, with their common filters, as a member and as a
co-chair, with and without `?community=`, each read with an API token as a program reads them, short (read whole)
and long (a page at a time), cost a fixed number of queries however many rows they hold."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commonground.accounts.services import token_create
from commonground.core.counting import forget_compiled, forget_estimates
from commonground.core.kept_rows import forget_kept_rows

from .query_world import grow

# (list, long): queries. The reader with its token is one; `?community=` costs none (`community_by_key`).
BASELINES = {
    ("/api/v1/organizations/", False): 4,
    ("/api/v1/organizations/?sector=private", False): 4,
    ("/api/v1/organizations/?q=grown", False): 4,
    ("/api/v1/resources/", False): 3,
    ("/api/v1/resources/?kind=equipment&category=esf12", False): 3,
    ("/api/v1/resources/?q=generator", False): 3,
    ("/api/v1/organizations/", True): 4,
    ("/api/v1/organizations/?sector=private", True): 4,
    ("/api/v1/organizations/?q=grown", True): 4,  # its page from the word table, its count kept
    ("/api/v1/resources/", True): 4,
    ("/api/v1/resources/?kind=equipment&category=esf12", True): 4,
    ("/api/v1/resources/?q=generator", True): 4,
}


def _queries(client, path: str) -> tuple[int, int]:
    """The queries of a reading of the list, and how many rows it answered with, after a reading that marks the
    token used (a write at most once a while) with nothing kept from it."""
    assert client.get(path).status_code == 200
    forget_compiled()
    forget_kept_rows()
    forget_estimates()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
@pytest.mark.parametrize("community", [False, True], ids=["everywhere", "community"])
@pytest.mark.parametrize("role", ["member", "cochair"])
@pytest.mark.parametrize("listed", sorted({path for path, _long in BASELINES}))
def test_each_list_costs_its_baseline_for_each_reader(table, settings, listed, role, community, long):
    settings.KEPT_COUNT_ABOVE = 5 if long else 1000  # a long list is read a page at a time (`KeysFirst`)
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {token_create(actor=None, user=table.user(role), name='c')[1]}"
    )
    path = (
        listed
        + ("&" if "?" in listed else "?")
        + "page_size=8"
        + ("&community=riverbend" if community else "")
    )
    grow(table, 10)
    small, rows = _queries(client, path)
    grow(table, 30)
    large, more = _queries(client, path)
    assert rows == 8 and more == 8, (path, rows, more)
    assert (small, large) == (BASELINES[listed, long],) * 2, (
        f"{path} as {role} ({long=}): set its baseline to the new count"
    )
