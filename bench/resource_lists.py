"""The resource list at state scale: text search beside a hand-written full-text query, and an unfiltered
list beside the same page with a selective filter, through the API on a real gunicorn server.

Usage: python -m bench.resource_lists ORGANIZATIONS RESOURCES_PER_ORGANIZATION [REQUESTS]
Runs on the database DATABASE_URL names (SQLite when unset); BENCH_KEEP=folder keeps the seeded installation (with
DATABASE_URL, that database), shared with bench.list_apis. Prints one JSON line.
"""

from __future__ import annotations

import http.client
import json
import sys
import time

from .api_list import get, gunicorn_serving
from .common import bench_member, median_ms, raw_connection, seed_state, setup_django

WORD = "generator"


def get_json(port: int, path: str, headers: dict) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
    return json.loads(body)


def hand_written_search(connection, viewer, postgres: bool) -> tuple[int, list[int]]:
    """The best SQL for the API's answer: the index match first, TLP, a page in name order with its holder, a count."""
    mark = "%s" if postgres else "?"
    communities = ",".join(str(c) for c in sorted(viewer.community_ids))
    if postgres:
        match = f"r.search_text @@ to_tsquery('simple', {mark})"
        term = f"{WORD}:*"
    else:
        match = (
            f"r.id IN (SELECT rowid FROM resources_resource_text WHERE resources_resource_text MATCH {mark})"
        )
        term = f'"{WORD}"*'
    where = f"""{match} AND (r.tlp = 'TLP:CLEAR' OR (r.tlp = 'TLP:GREEN' AND r.community_id IN ({communities}))
                OR r.organization_id = {mark})"""
    params = (term, viewer.organization_id)
    cursor = connection.cursor()
    cursor.execute(f"SELECT count(*) FROM resources_resource r WHERE {where}", params)
    count = cursor.fetchone()[0]
    cursor.execute(
        f"""SELECT r.*, o.name FROM (SELECT r.id, r.name FROM resources_resource r WHERE {where}
            ORDER BY r.name, r.id LIMIT 25) AS page
            JOIN resources_resource r ON r.id = page.id JOIN registry_organization o ON o.id = r.organization_id
            ORDER BY r.name, r.id""",
        params,
    )
    ids = [row[0] for row in cursor.fetchall()]
    return count, ids


def main() -> None:
    organizations, per_organization = int(sys.argv[1]), int(sys.argv[2])
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    data_dir = setup_django()
    from django.db import connection

    seed_seconds = seed_state(organizations, per_organization, lists_only=True)

    from commonground.communities.models import Community
    from commonground.core.viewer import viewer_for

    community = Community.objects.get(slug="state-1")
    user, token = bench_member(community)
    viewer = viewer_for(user)
    postgres = connection.vendor == "postgresql"
    raw = raw_connection()
    raw.cursor().execute("ANALYZE")
    total = raw.cursor().execute("SELECT count(*) FROM resources_resource").fetchone()[0]

    with gunicorn_serving(data_dir) as port:
        headers = {"Authorization": f"Token {token}"}
        search = f"/api/v1/resources/?community=state-1&q={WORD}"
        unfiltered = "/api/v1/resources/?community=state-1"
        selective = f"/api/v1/resources/?community=state-1&organization={user.person.organization_id}"
        answer = get_json(port, search, headers)
        count, ids = hand_written_search(raw, viewer, postgres)
        assert [r["id"] for r in answer["results"]] == ids, "the API and the hand-written query disagree"
        assert answer["count_is_estimate"] or answer["count"] == count, (answer["count"], count)
        whole = get_json(port, unfiltered, headers)
        figures: dict[str, list[float]] = {
            k: [] for k in ("search", "sql", "unfiltered", "selective", "trivial")
        }
        for _ in range(5):  # warm up
            get(port, search, headers), get(port, unfiltered, headers), get(port, selective, headers)
        for _ in range(requests):
            figures["search"].append(get(port, search, headers))
            start = time.perf_counter()
            hand_written_search(raw, viewer, postgres)
            figures["sql"].append(time.perf_counter() - start)
            figures["unfiltered"].append(get(port, unfiltered, headers))
            figures["selective"].append(get(port, selective, headers))
            figures["trivial"].append(get(port, "/healthz", {}))
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "resources": total,
                "matches": count,
                "unfiltered_count": whole["count"],
                "unfiltered_count_is_estimate": whole["count_is_estimate"],
                "seed_seconds": seed_seconds,
                **{f"{name}_ms": median_ms(samples) for name, samples in figures.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
