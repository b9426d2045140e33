"""Keyset pages: walking a list by its links' cursors gives every row once, in order, as page numbers do."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from commonground.core.keyset import Keyset
from commonground.core.views import paginate
from commonground.registry.filtersets import OrganizationFilterSet
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory

NAMES = ["Alder", "Birch", "Birch", "Cedar", "Dogwood", "Elm", "Elm", "Elm", "Fir", "Gum", "Hazel"]


@pytest.fixture
def seated(table):
    for i, name in enumerate(NAMES):
        OrganizationFactory(name=name, employees=None if i % 3 == 0 else i).memberships.create(
            community=table.community
        )
    return table


def walk(client, link):
    """Follow `next` links from `link`; return the names of every page and the last body."""
    pages = []
    while link:
        body = client.get(link).json()
        pages.append([o["name"] for o in body["results"]])
        link = body["next"]
    return pages, body


@pytest.mark.parametrize("ordering", ["", "&ordering=-name", "&ordering=sector", "&q=riverbend"])
def test_the_api_walks_every_row_once_by_cursor(seated, ordering):
    client = APIClient()
    client.force_authenticate(seated.member)
    base = f"/api/v1/organizations/?community=riverbend&page_size=3{ordering}"
    by_number, _ = walk(client, base)
    by_cursor, last = walk(client, base + "&cursor=")
    assert by_cursor == by_number and sum(map(len, by_cursor)) == last["count"]
    assert "cursor=" in client.get(base).json()["next"]
    # and back again by the previous links, to the first page
    link, back = last["previous"], []
    while link:
        body = client.get(link).json()
        back.insert(0, [o["name"] for o in body["results"]])
        link = body["previous"]
    assert back == by_number[:-1]


def test_a_bad_cursor_is_a_clear_400_and_an_order_without_keyset_pages_by_number(seated):
    client = APIClient()
    client.force_authenticate(seated.member)
    base = "/api/v1/organizations/?community=riverbend&page_size=3"
    for cursor in ["nonsense", "W10", "WyJ4IiwiYWZ0ZXIiLFsiYSIsMV1d"]:
        response = client.get(f"{base}&cursor={cursor}")
        assert response.status_code == 400 and "cursor" in response.json()
    first = client.get(base).json()["next"]
    other_order = client.get(first.replace("page_size=3", "page_size=3&ordering=-name"))
    assert other_order.status_code == 400
    # employees may be blank: no keyset, so page numbers only
    numbered = client.get(f"{base}&ordering=employees").json()
    assert "cursor" not in numbered["next"]
    assert client.get(f"{base}&ordering=employees&cursor=").status_code == 400


def test_the_page_links_carry_cursors_and_page_numbers_still_work(seated):
    factory = RequestFactory()
    queryset = Organization.objects.order_by("name", "id")
    first = paginate(factory.get("/"), queryset, per_page=4)
    assert first.next_cursor and first.previous_cursor is None
    second = paginate(factory.get("/", {"page": 2, "cursor": first.next_cursor}), queryset, per_page=4)
    by_number = paginate(factory.get("/", {"page": 2}), queryset, per_page=4)
    assert list(second) == list(by_number) and second.number == 2
    back = paginate(factory.get("/", {"page": 1, "cursor": second.previous_cursor}), queryset, per_page=4)
    assert list(back) == list(first) and not back.has_previous()
    stale = paginate(factory.get("/", {"page": 2, "cursor": "garbage"}), queryset, per_page=4)
    assert list(stale) == list(by_number)


def test_only_orders_of_non_blank_columns_have_a_keyset(seated):
    organizations = Organization.objects.all()
    assert Keyset.of(organizations.order_by("employees")) is None
    assert Keyset.of(organizations.order_by("?")) is None
    assert [str(e) for e, _d in Keyset.of(organizations.order_by("sector")).terms] == ["F(sector)", "F(pk)"]
    searched = OrganizationFilterSet({"q": "elm"}, queryset=organizations).qs
    assert Keyset.of(searched) is not None


def test_the_organization_page_links_to_the_next_page_by_cursor(seated, settings):
    client = APIClient()
    client.force_login(seated.member)
    for i in range(60):
        OrganizationFactory(name=f"Zeta {i:02}").memberships.create(community=seated.community)
    page = client.get("/c/riverbend/organizations/").content.decode()
    assert "page=2&amp;cursor=" in page and "Page 1 of 2" in page  # 73 seats, counted as seats
    link = page.split('href="?page=2&amp;cursor=', 1)[1].split('"', 1)[0]
    second = client.get(f"/c/riverbend/organizations/?page=2&cursor={link}").content.decode()
    assert "Page 2 of 2" in second and "Zeta 59" in second and "Alder" not in second


def test_an_order_by_a_relation_has_no_keyset(seated):
    from commonground.communities.models import Membership

    assert Keyset.of(Membership.objects.order_by("community")) is None
    assert Keyset.of(Membership.objects.order_by("organization__name")) is not None
