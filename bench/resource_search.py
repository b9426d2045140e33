"""The distance search at state scale: the API on a real gunicorn server, and the search itself beside hand-written SQL.

Usage: python -m bench.resource_search ORGANIZATIONS RESOURCES_PER_ORGANIZATION [REQUESTS]
Seeds with `commonground seed` spread over a whole state, then runs the query the issue names:
available generators of at least 100 kW within 25 km of a point, nearest first. Prints one JSON line.
BENCH_KEEP=folder keeps the seeded installation (with DATABASE_URL, that database) for the next run.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time

from .api_list import get, gunicorn_serving
from .common import bench_member, median_ms, raw_connection, seed_state, setup_django

PLACES = 5  # how many places the search is run from (test_points)
FILTERS = {"kind": "equipment", "category": "esf12", "availability": "available", "capacity_min": "100"}
RADIUS_KM = 25


def hand_written_sql(connection, latitude: float, longitude: float, viewer) -> tuple[int, list[int]]:
    """The best single SQL for the same answer: the spatial index's box, filters, TLP, distance in SQL.

    On SQLite the R*Tree table gives the box; on PostgreSQL the GiST index on the point."""
    from commonground.resources.spatial import Near

    south, north, west, east = Near(latitude, longitude, RADIUS_KM).box()
    sqlite = isinstance(connection, sqlite3.Connection)
    least, mark = ("min", "?") if sqlite else ("least", "%s")
    distance = (
        f"2 * 6371.0088 * asin({least}(1, sqrt(power(sin(radians(r.latitude - {latitude}) / 2), 2)"
        f" + cos(radians({latitude})) * cos(radians(r.latitude))"
        f" * power(sin(radians(r.longitude - {longitude}) / 2), 2))))"
    )
    if sqlite:
        box = (
            f"r.id IN (SELECT id FROM resources_resource_box WHERE max_lat >= {mark} AND min_lat <= {mark}"
            f" AND max_lon >= {mark} AND min_lon <= {mark})"
        )
        box_params = (south, north, west, east)
    else:
        box = f"point(r.longitude, r.latitude) <@ box(point({mark}, {mark}), point({mark}, {mark}))"
        box_params = (west, south, east, north)
    communities = ",".join(str(c) for c in sorted(viewer.community_ids))
    sql = f"""
        SELECT id, d FROM (
          SELECT r.id, {distance} AS d FROM resources_resource r
          WHERE {box}
            AND r.kind = 'equipment' AND r.category = 'esf12' AND r.availability = 'available' AND r.capacity >= 100
            AND (r.tlp = 'TLP:CLEAR' OR (r.tlp = 'TLP:GREEN' AND r.community_id IN ({communities}))
                 OR r.organization_id = {mark})) found
        WHERE d <= {mark} ORDER BY d, id"""
    cursor = connection.cursor()
    rows = cursor.execute(sql, (*box_params, viewer.organization_id, RADIUS_KM)).fetchall()
    page = [row[0] for row in rows[:25]]
    if page:  # and the page itself, with its holder's name, as the API shows it
        cursor.execute(
            f"SELECT r.*, o.name FROM resources_resource r JOIN registry_organization o ON o.id = r.organization_id"
            f" WHERE r.id IN ({','.join([mark] * len(page))})",
            page,
        ).fetchall()
    return len(rows), page


def test_points(viewer, community) -> list[tuple[float, float]]:
    """Five places to search from, each a resource the query finds: every point has results.

    Fixed points (a state's cities) found nothing where the seeded resources were sparse; these are spread
    through the matching resources in key order."""
    from commonground.resources import selectors

    found = (
        selectors.resource_list(viewer=viewer, community=community)
        .filter(kind="equipment", category="esf12", availability="available", capacity__gte=100)
        .exclude(latitude=None)
        .order_by("pk")
        .values_list("latitude", "longitude")
    )
    total = found.count()
    assert total >= PLACES, f"only {total} resources match the search"
    return [found[i * total // PLACES] for i in range(PLACES)]


def search_in_process(viewer, community, latitude: float, longitude: float) -> tuple[int, list[int]]:
    """What the API view does, without HTTP: the filterset, the spatial candidates, the refinement, a page."""
    from commonground.resources import selectors
    from commonground.resources.filtersets import ResourceFilterSet

    queryset = selectors.resource_list(viewer=viewer, community=community)
    filterset = ResourceFilterSet(
        {**FILTERS, "near": f"{latitude},{longitude}", "radius_km": str(RADIUS_KM)}, queryset=queryset
    )
    assert filterset.is_valid(), filterset.errors
    results = filterset.qs
    return len(results), [r.pk for r in results[0:25]]


def main() -> None:
    organizations, per_organization = int(sys.argv[1]), int(sys.argv[2])
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    data_dir = setup_django()

    seed_seconds = seed_state(organizations, per_organization)

    from commonground.communities.models import Community
    from commonground.core.viewer import viewer_for

    community = Community.objects.get(slug="state-1")
    user, token = bench_member(community)
    from django.db import connection

    viewer = viewer_for(user)
    raw = raw_connection()
    raw.execute("ANALYZE")
    points = test_points(viewer, community)
    found = []  # how many each point finds: the same answers both ways, none empty
    for point in points:
        ours, theirs = search_in_process(viewer, community, *point), hand_written_sql(raw, *point, viewer)
        assert ours[0] == theirs[0] and ours[1] == theirs[1], (point, ours[0], theirs[0])
        assert ours[0] > 0, point
        found.append(ours[0])
    # The three ways in turn, request by request: a shared machine's load then weighs on each alike.
    ours_s, theirs_s, api = [], [], []
    with gunicorn_serving(data_dir) as port:
        headers = {"Authorization": f"Token {token}"}
        query = "&".join(f"{k}={v}" for k, v in FILTERS.items())
        paths = [
            f"/api/v1/resources/?community=state-1&near={lat},{lon}&radius_km={RADIUS_KM}&{query}"
            for lat, lon in points
        ]
        for path in paths:
            get(port, path, headers)
        for i in range(requests):
            point = points[i % len(points)]
            start = time.perf_counter()
            search_in_process(viewer, community, *point)
            ours_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            hand_written_sql(raw, *point, viewer)
            theirs_s.append(time.perf_counter() - start)
            api.append(get(port, paths[i % len(paths)], headers))
        trivial = [get(port, "/healthz", {}) for _ in range(requests)]
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "resources": organizations * per_organization,
                "seed_seconds": seed_seconds,
                "found": found,
                "search_ms": median_ms(ours_s),
                "sql_ms": median_ms(theirs_s),
                "api_ms": median_ms(api),
                "trivial_ms": median_ms(trivial),
            }
        )
    )


if __name__ == "__main__":
    main()
