"""The text search's word table (PostgreSQL: `spatial.WORD_TABLE`, `core.textsearch.words_first`): it holds every
word of every resource through every kind of write, and a search read from it finds exactly the resources, in the
order, that the stored words' match finds, for readers of every right; nothing restricted is ever found."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.db.models import Q

from commonground.core.counting import forget_compiled
from commonground.core.testing import api_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.resources.imports import ResourceImporter
from commonground.resources.models import Resource
from commonground.resources.selectors import resource_list
from commonground.resources.spatial import WORD_TABLE, matches_text, text_search

from .factories import ResourceFactory

RED = "zqredmarker"
AMBER = "zqambermarker"
STRICT = "zqstrictmarker"
ELSEWHERE = "zqelsewheremarker"
READERS = ["member", "cochair", "admin", "other_admin", "outsider", "facilitator"]
SEARCHES = [
    "generator", "gen", "generators", "gener trail", "trailer gen", "diesel", "g", "3", "30", "kw 30",
    "zq", "zqredmarker", RED[:6], AMBER, STRICT, ELSEWHERE, "nothing", "generación", "generaci", "foo_bar",
    "foo", "&&", "", "Generator", "GEN trailer", "mobile-generator",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh():
    forget_compiled()
    yield
    forget_compiled()


def _word_rows() -> tuple[list, list]:
    """The word table's rows, and the rows it should hold: each word of each resource's stored words."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, name, row_id FROM {WORD_TABLE}")
        kept = sorted(cursor.fetchall())
        cursor.execute("SELECT w.lexeme, r.name, r.id FROM resources_resource r, unnest(r.search_text) w")
        expected = sorted(cursor.fetchall())
    return kept, expected


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's word table")


def _resources(table) -> None:
    """Resources of every marking, with words the searches share: ties of name, a word twice with one start
    ("generator" and "generators"), accents, underscores, numbers, and the restricted ones' markers."""
    mine = {"community": table.community, "organization": table.private_org}
    theirs = {"community": table.community, "organization": table.public_org}
    for name, description, tlp, where in [
        ("Diesel generator", "Trailer mounted, 30 kW", TLP.CLEAR, mine),
        ("Diesel generator", "Generators for the shelter", TLP.GREEN, theirs),
        ("Generator set", "", TLP.GREEN, mine),
        ("Mobile generator", "Generación eléctrica", TLP.GREEN, theirs),
        ("Forklift", "gen foo_bar", TLP.CLEAR, theirs),
        ("Trailer 3", "300 kw generators", TLP.GREEN, mine),
        ("mobile-generator", "", TLP.GREEN, mine),
        (f"Generator {RED}", "", TLP.RED, theirs),
        (f"Generator {AMBER}", "", TLP.AMBER, theirs),
        ("Generator", f"held {STRICT}", TLP.AMBER_STRICT, theirs),
        (f"Generator {ELSEWHERE}", "", TLP.GREEN, {"community": table.other_community, "organization": table.outside_org}),
    ]:  # fmt: skip
        ResourceFactory(name=name, description=description, tlp=tlp, **where)


def _write_every_way(table) -> Resource:
    """Rename a resource (saved), describe one anew and change another elsewhere (updates), insert five in bulk;
    return the renamed one ("Forklift truck")."""
    resource = Resource.objects.get(name="Forklift")
    resource.name = "Forklift truck"
    resource.save()
    Resource.objects.filter(name="Generator set").update(description="Standby power, generators")
    Resource.objects.filter(name="Trailer 3").update(quantity=7)  # neither name nor words: nothing to do
    Resource.objects.bulk_create(
        Resource(name=f"Pump {n}", description="Water pump", community=table.community,
                 organization=table.private_org, kind="equipment", category="esf3", quantity=1)
        for n in range(5)
    )  # fmt: skip
    return resource


def test_the_word_table_holds_every_word_through_every_write(table):
    """Inserted one by one and in bulk, imported (created and updated), renamed, described anew, changed
    elsewhere, deleted one by one and in bulk, truncated: the word table holds each resource's words."""
    _postgresql_only()
    _resources(table)
    kept, expected = _word_rows()
    assert kept == expected and len(expected) > 30
    resource = _write_every_way(table)
    header = (
        "organization,name,kind,category,quantity,latitude,longitude,verified_on,capacity,capacity_unit\n"
    )
    report = ResourceImporter(actor=table.cochair, community=table.community).run(
        io.BytesIO(
            (
                header
                + "Great Lakes Logistics,Imported chiller,equipment,esf7,1,42.7,-84.5,2026-10-01,,\n"
                + "Great Lakes Logistics,Pump 1,equipment,esf3,9,42.7,-84.5,2026-10-01,,\n"
            ).encode()
        ),
        "resources.csv",
    )
    assert report.ok, report.errors
    kept, expected = _word_rows()
    assert kept == expected
    assert ("truck", "Forklift truck", resource.pk) in kept
    assert not [row for row in kept if row[1] == "Forklift"]
    assert ("chiller", "Imported chiller", Resource.objects.get(name="Imported chiller").pk) in kept
    Resource.objects.get(name="Mobile generator").delete()
    Resource.objects.filter(name__startswith="Pump").delete()
    kept, expected = _word_rows()
    assert kept == expected and not [row for row in kept if row[1].startswith(("Pump", "Mobile generator"))]
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE"
        )  # the deferred foreign keys' checks, before a truncate
        cursor.execute("TRUNCATE resources_resource CASCADE")
    assert _word_rows() == ([], [])


@pytest.fixture(params=["word table", "GIN index"])
def way(request, settings):
    """Both ways a search is read: from the word table where it finds more words than a short list holds (the bound
    lowered to one here), from the GIN index where it finds fewer; on SQLite, from the head table
    (`core.word_heads`, for a search it answers) and from the FTS5 table."""
    if request.param == "word table":
        settings.KEPT_COUNT_ABOVE = 1
    return request.param


@pytest.mark.parametrize("reader", READERS)
def test_a_search_finds_what_the_words_match_finds_in_the_same_order(table, reader, way):
    """For each reader and search: the same keys in the same order as the list filtered by the stored words'
    match and ordered by name and key, any slice of them, the same count, existence and rows as a subquery."""
    _resources(table)
    viewer = viewer_for(table.user(reader))
    listed = resource_list(viewer=viewer, community=table.community, related=False)
    shown = resource_list(viewer=viewer, community=table.community)  # with its holder and community joined
    for words in SEARCHES:
        searched = text_search(listed, words)
        expected = listed.filter(matches_text(words)).order_by("name", "id")
        keys = list(expected.values_list("pk", flat=True))
        assert list(searched.values_list("pk", flat=True)) == keys, words
        assert list(searched.values_list("pk", flat=True)[1:3]) == keys[1:3], words
        assert [r.pk for r in searched] == keys, words
        assert [r.pk for r in text_search(shown, words)] == keys, words
        assert list(searched.reverse().values_list("pk", flat=True)) == keys[::-1], words
        assert searched.count() == len(keys), words
        assert searched.all()[:2].count() == len(keys[:2]), words
        assert searched.exists() == bool(keys), words
        within = Resource.objects.filter(pk__in=searched.values("pk"))  # the search inside another query
        assert set(within.values_list("pk", flat=True)) == set(keys), words
        if WORD_TABLE in str(searched.query):  # the word table's order inside another query
            first_two = Resource.objects.filter(pk__in=searched.values("pk")[:2])
            assert set(first_two.values_list("pk", flat=True)) == set(keys[:2]), words
        assert list(searched.order_by("-id").values_list("pk", flat=True)) == sorted(keys, reverse=True)


def test_a_long_search_reads_its_pages_from_the_word_table_and_counts_by_the_words_index(table, settings):
    """PostgreSQL: a search that finds more words than a short list holds reads its ordered keys (a page, a short
    list) from the word table and tests no stored words; its count and existence test the stored words through
    their GIN index and leave the word table out. A search that finds fewer, or a term the word table cannot
    answer by a range (an accent, an underscore), is read from the GIN index throughout."""
    _postgresql_only()
    _resources(table)
    listed = resource_list(viewer=viewer_for(table.member), community=table.community, related=False)
    settings.KEPT_COUNT_ABOVE = 1
    for words in ("generator", "gen trail", "gen mobile"):
        searched = text_search(listed, words)
        page = str(searched.values_list("pk", flat=True).query)
        count = str(searched.order_by().values("pk").query)
        assert WORD_TABLE in page and "@@" not in page, words
        assert WORD_TABLE not in count and "@@ to_tsquery" in count, words
    for words in (
        "generación",
        "foo_bar",
        "chiller",
        "gen chiller",
    ):  # an accent, an underscore, a word not held
        page = str(text_search(listed, words).values_list("pk", flat=True).query)
        assert WORD_TABLE not in page and "@@ to_tsquery" in page, words
    settings.KEPT_COUNT_ABOVE = 1000
    page = str(text_search(listed, "generator").values_list("pk", flat=True).query)
    assert WORD_TABLE not in page and "@@ to_tsquery" in page


@pytest.mark.parametrize("reader", READERS)
def test_no_search_shows_a_reader_a_resource_it_may_not_see(table, reader, way):
    """Through the API, every page of every search, with and without the community: a restricted resource's
    marker appears only in the answers of a reader who may see it (the marking's own list says who)."""
    _resources(table)
    client = api_client(table.user(reader))
    own = (table.other_community if reader == "outsider" else table.community).slug
    visible = set(Resource.objects.visible_to(viewer_for(table.user(reader))).values_list("pk", flat=True))
    for marker in (RED, AMBER, STRICT, ELSEWHERE):
        marked = Resource.objects.get(Q(name__contains=marker) | Q(description__contains=marker))
        allowed = marked.pk in visible
        for query in (
            f"?q={marker}",
            "?q=generator",
            "?q=generator&page_size=1&page=3",
            "?q=gen&page_size=2",
        ):
            for community in ("", f"&community={own}"):
                response = client.get(f"/api/v1/resources/{query}{community}")
                assert response.status_code in (200, 404)  # 404: a page past the last
                if not allowed:
                    assert marker not in response.content.decode(), (reader, marker, query)
        answer = client.get(f"/api/v1/resources/?q={marker}").json()
        assert bool(answer["results"]) == allowed, (reader, marker)
