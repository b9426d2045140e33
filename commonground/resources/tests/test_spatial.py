import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.resources.models import Resource
from commonground.resources.spatial import (
    Near,
    NearestFirst,
    distance_expression,
    matches_text,
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


def test_the_search_on_sqlite_joins_the_text_index():
    from django.db import connection

    sql = str(text_search(Resource.objects.all(), "generator").query)
    if connection.vendor == "sqlite":
        assert '"resources_resource_text" MATCH' in sql and "IN (SELECT rowid" not in sql
    else:
        assert "to_tsquery" in sql
