"""The organization search through the text index: the same answers as the `icontains` search it replaced,
for ordinary words, and no organization a viewer could not see before."""

import pytest
from django.db import connection
from django.db.models import Q
from rest_framework.test import APIClient

from commonground.core.viewer import viewer_for
from commonground.registry.filtersets import OrganizationFilterSet
from commonground.registry.models import Organization
from commonground.registry.search import TEXT_TABLE, matches_text
from commonground.registry.selectors import organization_list

from .factories import OrganizationFactory

NAMES = [
    ("Riverbend Water Authority", "Riverbend", "48933"),
    ("Lakeside Fire Department", "Lakeside", "49001-1234"),
    ("Fire & Rescue Volunteers", "Portland", "04101"),
    ("St. Mary's Hospital", "Lansing", "48910"),
    ("Great Lakes Shipping", "Duluth", "55802"),
    ("Shipwreck Museum", "Paradise", "49768"),
]
# Ordinary searches: whole words, starts of words, a ZIP code or its start, a city, any case.
WORDS = ["fire", "Fire", "FIRE DEPARTMENT", "ship", "shipping", "lakes", "mary", "hospital", "488", "48933",
         "49001-1234", "lansing", "Duluth", "water authority", "rescue", "nothing-like-it"]  # fmt: skip


def icontains(queryset, value):
    """The search as it was."""
    return queryset.filter(
        Q(name__icontains=value) | Q(city__icontains=value) | Q(zip_code__startswith=value)
    )


@pytest.fixture
def seated(table):
    for name, city, zip_code in NAMES:
        OrganizationFactory(name=name, city=city, zip_code=zip_code).memberships.create(
            community=table.community
        )
    OrganizationFactory(name="Elsewhere Fire Shipping", city="Lansing").memberships.create(
        community=table.other_community
    )
    return table


@pytest.mark.parametrize("word", WORDS)
def test_ordinary_words_find_what_icontains_found(seated, word):
    everyone = Organization.objects.all()
    assert set(everyone.filter(matches_text(word))) == set(icontains(everyone, word))


@pytest.mark.parametrize("role", ["member", "cochair", "outsider", "facilitator"])
@pytest.mark.parametrize("word", ["fire", "shipping", "lansing", "488"])
def test_visibility_is_unchanged(seated, role, word):
    viewer = viewer_for(seated.user(role))
    for community in (None, seated.community, seated.other_community):
        visible = organization_list(viewer=viewer, community=community)
        searched = OrganizationFilterSet({"q": word}, queryset=visible).qs
        assert list(searched) == list(icontains(visible, word).order_by("name", "id"))


def test_the_api_and_the_page_search_alike(seated):
    client = APIClient()
    client.force_authenticate(seated.member)
    api = client.get("/api/v1/organizations/?community=riverbend&q=fire").json()
    assert [o["name"] for o in api["results"]] == [
        "Fire & Rescue Volunteers", "Lakeside Fire Department", "Riverbend Fire",
    ]  # fmt: skip
    client.force_login(seated.member)
    page = client.get("/c/riverbend/organizations/?q=fire").content.decode()
    assert "Lakeside Fire Department" in page and "Elsewhere Fire Shipping" not in page


def test_an_ordering_is_kept_under_a_search(seated):
    results = OrganizationFilterSet(
        {"q": "fire", "ordering": "-name"}, queryset=Organization.objects.in_community(seated.community)
    ).qs
    assert [o.name for o in results] == [
        "Riverbend Fire",
        "Lakeside Fire Department",
        "Fire & Rescue Volunteers",
    ]


def test_renames_and_removals_follow_and_punctuation_is_no_syntax(seated):
    organization = Organization.objects.get(name="Shipwreck Museum")
    organization.name, organization.city = "Lighthouse Keepers", "Marquette"
    organization.save()
    assert not Organization.objects.filter(matches_text("shipwreck")).exists()
    assert list(Organization.objects.filter(matches_text("keep marq"))) == [organization]
    organization.delete()
    assert not Organization.objects.filter(matches_text("keepers")).exists()
    assert Organization.objects.filter(matches_text('"); DROP TABLE x; -- NEAR(a b)')).count() == 0
    assert matches_text("&&") is None  # no word: the filterset keeps the plain search
    assert list(OrganizationFilterSet({"q": "&"}, queryset=Organization.objects.all()).qs) == [
        Organization.objects.get(name="Fire & Rescue Volunteers")
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table and its triggers")
def test_the_sqlite_index_and_its_triggers_exist(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'registry_organization' AND type = 'trigger'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = %s", [TEXT_TABLE])
        assert cursor.fetchone()[0] == 1
    assert {f"registry_organization_text_{event}" for event in ("insert", "update", "delete")} <= triggers


def test_filtersets_share_no_state_between_requests(seated):
    organizations = Organization.objects.all()
    first = OrganizationFilterSet({"q": "fire"}, queryset=organizations)
    second = OrganizationFilterSet({"sector": "public"}, queryset=organizations)
    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].filter.f is first.filters["q"] and first.filters["q"].parent is first
    first.filters["q"].extra["help_text"] = "changed"
    assert "help_text" not in second.filters["q"].extra
    assert "help_text" not in OrganizationFilterSet.base_filters["q"].extra
    assert {o.name for o in first.qs} >= {"Riverbend Fire", "Lakeside Fire Department"}
    assert all(o.sector == "public" for o in second.qs)


def _counted_searches(queries) -> int:
    """How many of the captured queries count the matches of a text search."""
    marker = f"{TEXT_TABLE} MATCH" if connection.vendor == "sqlite" else "to_tsquery"
    return sum(marker in query["sql"] and "COUNT(" in query["sql"].upper() for query in queries)


def test_a_short_search_reads_its_matches_once_for_its_count_and_its_page(seated):
    """Counted, then paged, a search read every match twice: its keys, read once in order, give both; the page's
    rows are then read by key."""
    from django.test.utils import CaptureQueriesContext

    client = APIClient()
    client.force_authenticate(seated.member)
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/organizations/?community=riverbend&q=fire")
    # How common the word is, asked once a while (`core.word_heads.common_search`): it counts nothing.
    assert _counted_searches(first.captured_queries) == 0
    with CaptureQueriesContext(connection) as captured:
        api = client.get("/api/v1/organizations/?community=riverbend&q=fire").json()
    assert api["count"] == 3 and not api["count_is_estimate"]
    assert [o["name"] for o in api["results"]] == [
        "Fire & Rescue Volunteers", "Lakeside Fire Department", "Riverbend Fire",
    ]  # fmt: skip
    assert _counted_searches(captured.captured_queries) == 0
    # the keys, the rows, their tables (the reader, with the slugs of its communities, was read by the first)
    assert len(captured.captured_queries) == 3


@pytest.mark.parametrize("ordering", [None, "-name"])
@pytest.mark.parametrize("kept_above", [2, 100])
def test_a_search_read_whole_pages_as_the_plain_list(seated, settings, ordering, kept_above):
    """The same count, pages and rows as the list counted and sliced, whether short (read whole) or longer than is
    counted exactly (counted and sliced, remembered as long: its keys are not read whole again)."""
    from django.core.paginator import Paginator
    from django.test.utils import CaptureQueriesContext

    from commonground.core.counting import CountedPaginator

    settings.KEPT_COUNT_ABOVE = kept_above
    for number in range(4):
        OrganizationFactory(name=f"Fire brigade {number}", employees=10 * (number % 2)).memberships.create(
            community=seated.community
        )
    data = {"q": "fire"} | ({"ordering": ordering} if ordering else {})
    listed = Organization.objects.in_community(seated.community)
    searched = OrganizationFilterSet(data, queryset=listed).qs
    plain = searched.all()
    plain.query.read_whole = False
    for per_page, orphans in ((2, 0), (3, 1), (25, 0)):
        expected = Paginator(plain, per_page, orphans=orphans)
        for number in expected.page_range:
            paginator = CountedPaginator(searched, per_page, orphans=orphans)
            page = paginator.page(number)
            assert [o.pk for o in page] == [o.pk for o in expected.page(number)], (per_page, number)
            assert paginator.count == expected.count == 7
            assert paginator.count_is_estimate == (kept_above < 7)
    with CaptureQueriesContext(connection) as captured:
        assert (CountedPaginator(searched, 2).whole_keys is None) == (kept_above < 7)
    assert len(captured.captured_queries) == (0 if kept_above < 7 else 1)
