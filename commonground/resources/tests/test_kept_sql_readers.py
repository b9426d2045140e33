"""Review (attacker): the resource lists' kept SQL (core.counting.compiled, ResourceFilterSet._list_key) never
gives one reader the rows of another's. Two readers of different
privilege make the same requests in turn in one process; restricted records carry unique markers."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from commonground.core.counting import forget_compiled
from commonground.core.testing import api_client, page_client
from commonground.core.tlp import TLP

from .factories import ResourceFactory

AMBER = "zqAmberMarker41"
STRICT = "zqStrictMarker42"
UNIT = "zqunitmarker"

QUERIES = [
    "",
    "?q=generator",
    "?kind=equipment",
    "?category=esf12",
    "?tlp=TLP:AMBER",
    "?stale=true",
    "?stale=false",
    "?near=42.73,-84.55&radius_km=5",
    "?near=42.73,-84.55&radius_km=5&q=generator",
    "?page=2",
    "?kind=equipment&category=esf12",
    "?q=generator&kind=equipment",
    "?sector=private",
    "?page_size=1",
    "?page_size=2&page=2",
]


@pytest.fixture(autouse=True)
def _fresh():
    forget_compiled()
    yield
    forget_compiled()


def _restricted(table):
    common = {"community": table.community, "organization": table.private_org, "unit": UNIT}
    ResourceFactory(name=f"Generator {AMBER}", tlp=TLP.AMBER, **common)
    ResourceFactory(name=f"Generator {STRICT}", tlp=TLP.AMBER_STRICT, **common)
    ResourceFactory(
        name="Generator green", tlp=TLP.GREEN, community=table.community, organization=table.private_org
    )


def _pages(user, absent=()):
    """Read every list twice over (page and API); none of the `absent` markers in any answer."""
    page, api = page_client(user), api_client(user)
    for query in QUERIES:
        for path in (
            f"/c/riverbend/resources/{query}",
            f"/api/v1/resources/{query or '?'}&community=riverbend",
        ):
            client = page if path.startswith("/c/") else api
            body = client.get(path).content.decode()
            for marker in absent:
                assert marker not in body, (user, path, marker)


@pytest.mark.parametrize("first", ["admin", "cochair", "facilitator"])
def test_a_reader_who_may_not_see_them_never_gets_the_kept_rows_of_one_who_may(table, first):
    _restricted(table)
    privileged = table.user(first)
    for _round in range(2):
        body = page_client(privileged).get("/c/riverbend/resources/").content.decode()
        assert AMBER in body
        _pages(privileged)  # fills the kept SQL under the privileged reader's key
        for reader in (table.other_admin, table.outsider):
            _pages(reader, [AMBER, STRICT, UNIT])


def test_the_stale_filter_follows_the_clock_with_kept_sql(table, settings):
    ResourceFactory(name="Old generator", community=table.community, organization=table.private_org,
                    verified_on=datetime.date(2026, 1, 1))  # fmt: skip
    client = api_client(table.member)
    with freeze_time("2026-01-02 12:00:00"):
        names = [
            r["name"]
            for r in client.get("/api/v1/resources/?community=riverbend&stale=true").json()["results"]
        ]
        assert names == []
    with freeze_time(datetime.date(2026, 1, 2) + datetime.timedelta(days=settings.RESOURCE_STALE_DAYS + 1)):
        names = [
            r["name"]
            for r in client.get("/api/v1/resources/?community=riverbend&stale=true").json()["results"]
        ]
        assert names == ["Old generator"]


def test_a_request_across_midnight_keeps_the_stale_filter_s_sql_under_the_day_it_was_built_with(
    table, monkeypatch
):
    """`filter_stale` and `_list_key` take the day from one read (`ResourceFilterSet.stale_before`): a request
    running across midnight must not keep SQL comparing with the old day under the new day's key, which every
    request of the new day (same reader, same filters) would read by."""
    from django.utils import timezone

    from commonground.core.counting import KeysFirst
    from commonground.core.viewer import viewer_for
    from commonground.resources import selectors
    from commonground.resources.filtersets import ResourceFilterSet

    day = datetime.date(2026, 6, 1)
    ResourceFactory(name="Turning stale", community=table.community, organization=table.private_org,
                    verified_on=day - datetime.timedelta(days=180))  # fmt: skip
    monkeypatch.setattr("django.conf.settings.RESOURCE_STALE_DAYS", 180)
    viewer = viewer_for(table.member)

    def names():
        listed = selectors.resource_list(viewer=viewer, community=table.community)
        filterset = ResourceFilterSet({"stale": "true"}, queryset=listed)
        assert filterset.is_valid()
        results = filterset.qs
        return [r.name for r in KeysFirst(results, rows=selectors.PageRows(), sql_key=results.list_key)[0:10]]

    dates = iter([day])  # the filter's call on the old day; every later call on the next
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: next(dates, day + datetime.timedelta(days=1)))
    names()  # the request across midnight
    assert names() == ["Turning stale"]  # the next day: stale by then


# Each reader's resources of `_restricted`, by the TLP table: the holder's people see all three, co-chairs and
# facilitators the AMBER one too, another member of the table the GREEN one, a reader from elsewhere none.
GREEN_NAME, AMBER_NAME, STRICT_NAME = "Generator green", f"Generator {AMBER}", f"Generator {STRICT}"
SEEN = {
    "admin": [GREEN_NAME, AMBER_NAME, STRICT_NAME],
    "member": [GREEN_NAME, AMBER_NAME, STRICT_NAME],
    "cochair": [GREEN_NAME, AMBER_NAME],
    "facilitator": [GREEN_NAME, AMBER_NAME],
    "other_admin": [GREEN_NAME],
    "outsider": [],
}
ALL = slice(None)
FILTERS = {  # query -> which of the reader's resources (in name order) it finds, and which of those it shows
    "": (lambda names: names, ALL),
    "?q=generator": (lambda names: names, ALL),
    "?kind=equipment&category=esf12": (lambda names: names, ALL),
    "?kind=equipment&category=esf12&q=generator": (lambda names: names, ALL),
    "?sector=private": (lambda names: names, ALL),
    "?tlp=TLP:AMBER": (lambda names: [n for n in names if n == AMBER_NAME], ALL),
    "?kind=supply": (lambda names: [], ALL),
    "?page_size=1": (lambda names: names, slice(0, 1)),
    "?page_size=2&page=1": (lambda names: names, slice(0, 2)),
}


@pytest.mark.parametrize(
    "bound", [1000, 1]
)  # a list read whole (short_lists), or a page at a time (KeysFirst)
@pytest.mark.parametrize("query", FILTERS)
def test_readers_of_different_rights_in_turn_each_get_exactly_their_own_resources(
    table, settings, query, bound
):
    """The same filter asked in turn by readers of every right, each one's answer built after another's was
    kept (the list's SQL, the page's rows by key, the community by its slug, whether the list is long): each
    gets exactly what it may see, the count included."""
    settings.KEPT_COUNT_ABOVE = bound
    _restricted(table)
    select, page = FILTERS[query]
    order = ["admin", "outsider", "cochair", "other_admin", "member", "facilitator", "outsider", "admin"]
    for _round in range(2):
        for role in order:
            found = select(SEEN[role])
            path = f"/api/v1/resources/{query or '?'}&community=riverbend"
            response = api_client(table.user(role)).get(path)
            assert response.status_code == 200, (role, query)
            body = response.json()
            assert [row["name"] for row in body["results"]] == found[page], (role, query)
            assert body["count"] == len(found), (role, query)
