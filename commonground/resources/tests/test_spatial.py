import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.resources.models import Resource
from commonground.resources.spatial import (
    SEARCH_INDEX,
    Near,
    NearestFirst,
    distance_expression,
    matches_text,
    restore_sqlite_triggers,
    text_search,
    text_terms,
)

from .factories import ResourceFactory


def test_distance_between_two_known_cities_is_right(table):
    # Lansing to Detroit is about 131 km as the crow flies.
    ResourceFactory(
        latitude=42.3314, longitude=-83.0458, community=table.community, organization=table.private_org
    )
    distance = Resource.objects.annotate(d=distance_expression(Near(42.7325, -84.5555, 200))).get().d
    assert distance == pytest.approx(131.6, abs=2)


@given(
    st.floats(-80, 80), st.floats(-179, 179), st.floats(0.1, 500), st.floats(0, 2 * math.pi), st.floats(0, 1)
)
def test_the_box_holds_every_point_of_the_circle(lat, lon, radius, bearing, fraction):
    near = Near(lat, lon, radius)
    south, north, west, east = near.box()
    # a point at `fraction` of the radius in direction `bearing`, by the spherical destination formula
    d = radius * fraction / 6371.0088
    phi1, lam1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(bearing))
    lam2 = lam1 + math.atan2(
        math.sin(bearing) * math.sin(d) * math.cos(phi1), math.cos(d) - math.sin(phi1) * math.sin(phi2)
    )
    plat, plon = math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180
    assert south - 1e-9 <= plat <= north + 1e-9
    assert west - 1e-9 <= plon <= east + 1e-9 or (west, east) == (-180.0, 180.0)


def test_search_words_lose_every_operator():
    assert text_terms('gen* OR "x" NEAR(a b) -c') == ["gen", "or", "x", "near", "a", "b", "c"]
    assert text_terms("   ") == []


def test_nearest_first_within_the_radius_only(table):
    common = {"community": table.community, "organization": table.private_org}
    far = ResourceFactory(name="Far", latitude=43.2, longitude=-84.55, **common)  # ~52 km north
    near = ResourceFactory(name="Near", latitude=42.74, longitude=-84.55, **common)
    nearest = ResourceFactory(name="Nearest", latitude=42.731, longitude=-84.55, **common)
    ResourceFactory(name="Unplaced", latitude=None, longitude=None, **common)
    results = NearestFirst(Resource.objects.all(), Near(42.73, -84.55, 25))
    assert [r.name for r in results[0:10]] == ["Nearest", "Near"]
    assert len(results) == 2
    assert results[0].distance_km == pytest.approx(0.111, abs=0.002)
    wider = NearestFirst(Resource.objects.all(), Near(42.73, -84.55, 60))
    assert [r.pk for r in wider[0:10]] == [nearest.pk, near.pk, far.pk]


def test_moving_a_resource_moves_it_in_the_spatial_index(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org)
    resource.latitude, resource.longitude = 45.0, -85.0
    resource.save()
    assert len(NearestFirst(Resource.objects.all(), Near(42.73, -84.55, 10))) == 0
    assert len(NearestFirst(Resource.objects.all(), Near(45.0, -85.0, 1))) == 1
    resource.delete()
    assert len(NearestFirst(Resource.objects.all(), Near(45.0, -85.0, 1))) == 0


def test_text_search_finds_word_prefixes_and_follows_renames(table):
    resource = ResourceFactory(
        name="Diesel generator",
        description="Trailer mounted",
        community=table.community,
        organization=table.private_org,
    )
    assert list(Resource.objects.filter(matches_text("gener trail"))) == [resource]
    assert not Resource.objects.filter(matches_text("forklift")).exists()
    resource.name = "Forklift"
    resource.save()
    assert list(Resource.objects.filter(matches_text("fork"))) == [resource]
    assert not Resource.objects.filter(matches_text("diesel")).exists()
    assert Resource.objects.filter(matches_text('"); DROP TABLE x; --')).count() == 0


def test_the_search_reads_the_same_resources_as_the_match_condition(table):
    """`text_search` joins the FTS5 table on SQLite where `matches_text` asks `id IN (matches)`: the same rows, in
    the list's order, counted alike; no word leaves the list as it is."""
    for name, description in [
        ("Diesel generator", "Trailer mounted"),
        ("Generator set", ""),
        ("Forklift", "gen"),
    ]:
        ResourceFactory(
            name=name, description=description, community=table.community, organization=table.private_org
        )
    listed = Resource.objects.order_by("name", "id")
    for words in ("gen", "generator trail", "forklift", "nothing", "&&", ""):
        searched = text_search(listed, words)
        expected = listed.filter(matches_text(words))
        assert list(searched) == list(expected), words
        assert searched.count() == expected.count()
        assert list(Resource.objects.filter(pk__in=searched.values("pk"))) == list(
            Resource.objects.filter(pk__in=expected.values("pk"))
        )


def test_the_search_on_sqlite_joins_the_text_index(db):
    from django.db import connection

    sql = str(text_search(Resource.objects.all(), "generator").query)
    if connection.vendor == "sqlite":
        assert '"resources_resource_text" MATCH' in sql and "IN (SELECT rowid" not in sql
    else:
        assert "to_tsquery" in sql


def _search_plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset.values_list("pk", flat=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _statistics_of_one_large_community() -> None:
    """Give SQLite's planner the statistics of 100,000 resources in one community (ANALYZE at the bench's size):
    with a handful of rows it walks the community's index and asks the text index about each row instead."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT idx FROM sqlite_stat1 WHERE tbl = %s AND idx IS NOT NULL", ["resources_resource"]
        )
        for (index,) in cursor.fetchall():
            cursor.execute("SELECT count(*) FROM pragma_index_info(%s)", [index])
            columns = cursor.fetchone()[0]
            leading = (
                "100000" if index.startswith(("resource_community", "resources_resource_community")) else "1"
            )
            stat = " ".join(["100000", leading, *["1"] * (columns - 1)])
            cursor.execute(
                "UPDATE sqlite_stat1 SET stat = %s WHERE tbl = %s AND idx = %s",
                [stat, "resources_resource", index],
            )
        cursor.execute("ANALYZE sqlite_schema")


@pytest.mark.parametrize("reader", ["member", "cochair"])
def test_the_search_on_sqlite_reads_its_matches_from_the_search_index_not_their_rows(table, reader):
    """Each match's community, marking, holder, disclosure and name come from `SEARCH_INDEX`, looked up by key:
    looking each up in the table read its whole row, a third of a search for a common word."""
    from django.db import connection

    from commonground.core.viewer import viewer_for
    from commonground.resources.selectors import resource_list

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's text index yields rows, not keys")
    for _ in range(3):
        ResourceFactory(name="Diesel generator", community=table.community, organization=table.private_org)
    _statistics_of_one_large_community()
    listed = resource_list(
        viewer=viewer_for(getattr(table, reader)), community=table.community, related=False
    )
    plan = _search_plan(text_search(listed, "generator"))
    assert "SCAN resources_resource_text VIRTUAL TABLE" in plan.splitlines()[0], plan
    assert f"SEARCH resources_resource USING COVERING INDEX {SEARCH_INDEX} (id=?" in plan, plan


def test_the_search_index_comes_back_after_a_rebuild_of_the_table(table):
    """A migration that rebuilds the table on SQLite drops every index Django does not know of:
    restore_sqlite_triggers makes the search index again, with the triggers."""
    from types import SimpleNamespace

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def exists() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = %s", [SEARCH_INDEX]
            )
            return cursor.fetchone()[0] == 1

    assert exists()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {SEARCH_INDEX}")
        assert not exists()
        restore_sqlite_triggers(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert exists()
    resource = ResourceFactory(
        name="Diesel generator", community=table.community, organization=table.private_org
    )
    assert list(Resource.objects.filter(matches_text("diesel"))) == [resource]  # the triggers too
