"""The organizations' tables of words (`registry.search`): SQLite's head table (`core.word_heads`) and PostgreSQL's
word table hold the words of every organization's name, city and ZIP code through every kind of write, and a
common word's search, read from them, finds the same organizations in the same order as the text index, for every
reader, and nothing the reader may not see."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from rest_framework.test import APIClient

from commonground.communities.tests.factories import MembershipFactory
from commonground.core.tests.word_rows import head_rows, word_rows
from commonground.core.word_heads import forget_common_searches
from commonground.registry.models import Organization
from commonground.registry.search import HEAD_TABLE, TEXT_TABLE, WORD_TABLE, restore_sqlite_index

from .factories import OrganizationFactory

SQLITE = connection.vendor == "sqlite"
HIDDEN = "Firehouse HIDDEN-ORG-WORDS-5521"  # an organization of another table only: no member here sees it
NAMES = [
    "Lakeside Fire Department", "Fire & Rescue Volunteers", "Firestone Tires", "Bayview Fire District",
    "Riverbend Firefighters Union", "Fireside Café", "Harbor Fire Boat", "Fire Station 9", "Great Lakes Fire",
    "Fireworks Depot", "Riverbend Water", "Lakeside Clinic", "Fireside Books",
]  # fmt: skip


@pytest.fixture
def seated(table, fresh_kept):
    for n, name in enumerate(NAMES):
        organization = OrganizationFactory(
            name=name, city="Lakeside" if n % 3 else "Riverbend", zip_code=f"4893{n % 4}"
        )
        MembershipFactory(community=table.community, organization=organization)
    MembershipFactory(community=table.other_community, organization=OrganizationFactory(name=HIDDEN))
    return table


def _word_rows() -> tuple[list, list]:
    """The table of words' rows, and the rows it should hold: from the text index's own words."""
    if SQLITE:
        return head_rows(HEAD_TABLE, TEXT_TABLE, "registry_organization")
    return word_rows(WORD_TABLE, "registry_organization", "search_text")


def test_the_words_are_kept_through_every_write(seated):
    kept, expected = _word_rows()
    assert kept == expected and len(expected) > 30
    organization = Organization.objects.get(name="Fireside Café")
    organization.name = "Fireside Coffee"
    organization.save()
    Organization.objects.filter(name="Harbor Fire Boat").update(city="Bayport", zip_code="49001")
    Organization.objects.filter(name="Lakeside Clinic").update(employees=12)  # no word changes
    Organization.objects.bulk_create(
        [Organization(name="Firelight Studio", city="Lakeside", zip_code="48930")]
    )
    Organization.objects.get(name="Fireworks Depot").delete()
    kept, expected = _word_rows()
    assert kept == expected
    names = {row[1] for row in kept}
    assert {"Fireside Coffee", "Firelight Studio"} <= names and not names & {
        "Fireside Café",
        "Fireworks Depot",
    }
    Organization.objects.all().delete()
    assert _word_rows() == ([], [])


def _every_page(user, query: str, *, sees_hidden: bool, **params) -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    names, page = [], 1
    while True:
        response = client.get("/api/v1/organizations/", {"q": query, "page_size": 3, "page": page, **params})
        assert response.status_code == 200, response.content[:300]
        assert sees_hidden or "HIDDEN-ORG-WORDS" not in response.content.decode()
        body = response.json()
        names += [organization["name"] for organization in body["results"]]
        if not body["next"]:
            return names
        page += 1


@pytest.mark.parametrize("role", ["member", "cochair", "outsider", "facilitator"])
@pytest.mark.parametrize("in_community", [False, True])
def test_a_common_words_search_finds_what_the_text_index_finds(seated, settings, role, in_community):
    """Forced through the table of words (every word common) and kept from it (none common): the same pages."""
    user = seated.user(role)
    params = {"community": "riverbend"} if in_community else {}
    sees_hidden = role == "facilitator" or (role == "outsider" and not in_community)  # the table it sits at
    for query in (
        "fire",
        "fireside",
        "FIRE lakeside",
        "fire 4893",
        "lake fir",
        "riverbend firefighters",
        "fire -ordering",
    ):
        query, ordering = (
            query.removesuffix(" -ordering"),
            {"ordering": "-name"} if "ordering" in query else {},
        )
        settings.KEPT_COUNT_ABOVE = 1000
        plain = _every_page(user, query, sees_hidden=sees_hidden, **params, **ordering)
        settings.KEPT_COUNT_ABOVE = 1
        forget_common_searches()
        assert _every_page(user, query, sees_hidden=sees_hidden, **params, **ordering) == plain, (role, query)
        if role == "outsider":
            assert set(plain) <= {HIDDEN}, plain
        elif query == "fire" and not ordering:
            assert len(plain) >= 9 and plain == sorted(plain), plain
        elif query == "fireside":
            assert plain == ["Fireside Books", "Fireside Café"], plain


@pytest.mark.skipif(not SQLITE, reason="SQLite's head table and its plan")
def test_sqlite_reads_a_common_words_page_in_the_head_tables_order(seated, settings):
    from commonground.core.viewer import viewer_for
    from commonground.registry.filtersets import OrganizationFilterSet
    from commonground.registry.selectors import organization_list

    settings.KEPT_COUNT_ABOVE = 1
    listed = organization_list(viewer=viewer_for(seated.member), community=seated.community)
    page = OrganizationFilterSet({"q": "fire"}, queryset=listed).qs.values_list("pk", flat=True)[:3]
    compiled, params = page.query.sql_with_params()
    assert HEAD_TABLE in compiled
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {compiled}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "USING PRIMARY KEY (head=?)" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif(not SQLITE, reason="SQLite's head table")
def test_the_head_table_comes_back_after_a_rebuild_of_the_table(seated):
    with connection.cursor() as cursor:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {HEAD_TABLE}_{event}")
    missed = OrganizationFactory(name="Firebrand Press", city="Lakeside", zip_code="48930")
    assert _word_rows()[0] != _word_rows()[1]
    with connection.cursor() as cursor:
        restore_sqlite_index(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    kept, expected = _word_rows()
    assert kept == expected and ("fire", "Firebrand Press", missed.pk, frozenset({"firebrand"})) in kept
    OrganizationFactory(name="Firefly Books")
    assert _word_rows()[0] == _word_rows()[1]
