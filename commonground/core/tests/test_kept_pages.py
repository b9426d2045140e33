"""A list named by what it is made of (`core.kept_pages`) is paged by SQL kept under that name: each reader gets
exactly the rows the ORM would give them, whoever read a page before, and a second reading compiles nothing."""

import re

import pytest
from django.db.models.sql import compiler as sql_compiler

from commonground.communities.tests.factories import MembershipFactory
from commonground.core import filtersets as core_filtersets
from commonground.core import kept_pages
from commonground.core.api import pagination
from commonground.core.api.pagination import StandardPagination
from commonground.core.counting import forget_compiled, forget_estimates
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.testing import api_client, page_client
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory

MARKER = "KEPTPAGE-7731"
ROLES = ("member", "cochair", "outsider", "facilitator")


@pytest.fixture(autouse=True)
def _fresh():
    for forget in (forget_compiled, forget_kept_rows, forget_estimates):
        forget()
    yield
    for forget in (forget_compiled, forget_kept_rows, forget_estimates):
        forget()


@pytest.fixture
def lists(table):
    """Fire organizations at both tables (one elsewhere carries the marker), and the lists read of them."""
    for number in range(5):
        organization = OrganizationFactory(name=f"Fire district {number}", sector="public", employees=number)
        MembershipFactory(community=table.community, organization=organization)
    hidden = OrganizationFactory(name=f"Fire brigade {MARKER}", sector="public")
    MembershipFactory(community=table.other_community, organization=hidden)
    slug, other = table.community.slug, table.other_community.slug
    return [
        "/api/v1/organizations/?page_size=2",
        "/api/v1/organizations/?page_size=2&page=2",
        f"/api/v1/organizations/?community={slug}&page_size=2&page=3",
        f"/api/v1/organizations/?community={other}",
        "/api/v1/organizations/?q=fire&page_size=2",
        "/api/v1/organizations/?q=fire&page_size=2&page=2",
        f"/api/v1/organizations/?community={slug}&q=fire&sector=public&ordering=-employees&page_size=2&page=2",
        "/api/v1/organizations/?q=brigade",
    ]


def read(table, role: str, path: str) -> tuple[int, dict]:
    response = api_client(table.user(role)).get(path)
    assert response.status_code in (200, 404), (role, path, response.content)
    return response.status_code, response.json()


def test_each_reader_gets_their_own_pages_whoever_read_them_before(table, lists, monkeypatch, settings):
    visits = [(role, path) for path in lists for role in ROLES]
    for short in (True, False):  # a text search read whole by its keys, or counted and sliced
        settings.KEPT_COUNT_ABOVE = 1000 if short else 1
        with monkeypatch.context() as unnamed:  # the pages as the ORM gives them, compiled for each request
            unnamed.setattr(pagination, "list_name", lambda queryset: None)
            expected = {visit: read(table, *visit) for visit in visits}
        assert any(MARKER in str(page) for page in expected.values())
        assert not any(
            MARKER in str(expected[role, path]) for role in ("member", "cochair") for path in lists
        )
        assert sum(status == 200 for status, _page in expected.values()) > len(expected) / 2
        forget_compiled(), forget_kept_rows(), forget_estimates()
        for visit in (*visits, *reversed(visits)):
            assert read(table, *visit) == expected[visit], (short, *visit)
        forget_compiled(), forget_kept_rows(), forget_estimates()


def test_a_second_reading_of_a_page_compiles_nothing(settings, table, lists, monkeypatch):
    settings.KEPT_SQL_CHECK = False  # it counts compilations; the check compiles each read again
    client = api_client(table.cochair)
    lists = [path for path in lists if table.other_community.slug not in path]  # a hidden table: .none()
    first = {path: client.get(path).json() for path in lists}
    paging = []
    original_paginate = StandardPagination.paginate_queryset
    original_as_sql = sql_compiler.SQLCompiler.as_sql

    def paginate(self, *args, **kwargs):
        paging.append(True)
        try:
            return original_paginate(self, *args, **kwargs)
        finally:
            paging.pop()

    def as_sql(self, *args, **kwargs):
        assert not paging, f"compiled again while paging: {self.query}"
        return original_as_sql(self, *args, **kwargs)

    monkeypatch.setattr(StandardPagination, "paginate_queryset", paginate)
    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", as_sql)
    for path in lists:
        assert client.get(path).json() == first[path], path


def test_the_organizations_page_shows_each_reader_their_own_search(table, lists):
    path = f"/c/{table.community.slug}/organizations/?q=fire"
    for role in ("cochair", "member", "cochair"):
        html = page_client(table.user(role)).get(path).content.decode()
        assert "Fire district 4" in html and MARKER not in html, role
    other = f"/c/{table.other_community.slug}/organizations/?q=fire"
    assert MARKER in page_client(table.outsider).get(other).content.decode()
    assert page_client(table.member).get(other).status_code in (403, 404)


def test_a_name_that_cannot_be_a_key_leaves_the_list_unnamed(db):
    listed = Organization.objects.all()
    assert kept_pages.list_name(kept_pages.name_list(listed, ("list", ["unhashable"]))) is None
    assert kept_pages.list_name(kept_pages.name_list(listed, ("list", 1))) == ("list", 1)
    assert kept_pages.list_name(listed.all()) is None  # a copy carries no name


def test_the_assessments_page_shows_each_reader_their_own_pages(table, monkeypatch, settings):
    from commonground.risks import selectors as risk_selectors
    from commonground.risks.models import Hazard
    from commonground.risks.tests.factories import AssessmentFactory

    hazards = iter(Hazard.objects.filter(community=None).order_by("pk"))
    for organization, marking, likelihood in (
        (table.public_org, "TLP:AMBER", 5), (table.public_org, "TLP:GREEN", 4),
        (table.private_org, "TLP:AMBER", 2), (table.private_org, "TLP:RED", 1),
    ):  # fmt: skip
        AssessmentFactory(
            community=table.community, organization=organization, hazard=next(hazards), tlp=marking,
            likelihood=likelihood,
        )  # fmt: skip
    Hazard.objects.create(community=table.community, name=f"Levee breach {MARKER}", kind="natural")
    settings.KEPT_COUNT_ABOVE = 1
    paths = [
        f"/c/{table.community.slug}/assessments/{query}" for query in ("", "?min_likelihood=3", "?page=2")
    ]
    readers = ("cochair", "admin", "member", "other_admin", "facilitator")

    def rows(role: str, path: str) -> tuple[int, list, list]:
        response = page_client(table.user(role)).get(path)
        html = response.content.decode()
        selects = re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
        return response.status_code, re.findall(r"<tbody>(.*?)</tbody>", html, re.S), selects

    with monkeypatch.context() as unnamed:  # the list and the selects' choices compiled for each request
        unnamed.setattr(risk_selectors, "name_list", lambda queryset, key: queryset)
        unnamed.setattr(core_filtersets, "list_name", lambda queryset: None)
        visits = [(role, path) for role in readers for path in paths]
        visits += [
            (role, f"/c/{table.other_community.slug}/assessments/") for role in ("outsider", "facilitator")
        ]
        expected = {visit: rows(*visit) for visit in visits}
    assert (
        expected["member", paths[0]] != expected["other_admin", paths[0]]
    )  # the readers see different lists
    assert expected["cochair", paths[0]] != expected["cochair", paths[1]]
    other = f"/c/{table.other_community.slug}/assessments/"
    assert MARKER in str(expected["admin", paths[0]][2]) and MARKER not in str(expected["outsider", other][2])
    for visit in (*expected, *reversed(list(expected))):
        assert rows(*visit) == expected[visit], visit
