"""The organization list at state scale, through the API on a real gunicorn server, as a member:

- the text search `?q=` beside a hand-written query on the same text index (FTS5 / GIN), with its count;
- the unfiltered list beside the same page with a selective filter (`?level=tribal`, ~3% of them);
- a deep page (page 2,000 at 100,000) read by its `next` link's cursor, and by its number alone (offset),
  beside the first page; and the same on the organization page (HTML, signed in).

Usage: python -m bench.organization_lists ORGANIZATIONS [REQUESTS]
Runs on the database DATABASE_URL names (SQLite when unset). Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time

from .api_list import get, gunicorn_serving
from .common import bench_member, median_ms, raw_connection, setup_django
from .resource_lists import get_json

WORD = "keystone"


def hand_written_search(connection, community_id: int, postgres: bool) -> tuple[int, list[int]]:
    """The best SQL for the API's answer: the index match, the seat, a page in name order, a count, the slugs.

    The matches are read once, first (a materialized CTE on PostgreSQL, which would otherwise walk the
    name index and test every row), then counted and cut to a page.
    """
    mark = "%s" if postgres else "?"
    if postgres:
        match, term = f"o.search_text @@ to_tsquery('simple', {mark})", f"{WORD}:*"
    else:
        match = f"o.id IN (SELECT rowid FROM registry_organization_text WHERE registry_organization_text MATCH {mark})"
        term = f'"{WORD}"*'
    hits = f"""WITH hits AS {"MATERIALIZED" if postgres else ""} (SELECT o.id, o.name FROM registry_organization o
               WHERE {match} AND EXISTS (SELECT 1 FROM communities_membership m
               WHERE m.organization_id = o.id AND m.community_id = {mark}))"""
    cursor = connection.cursor()
    cursor.execute(f"{hits} SELECT count(*) FROM hits", (term, community_id))
    count = cursor.fetchone()[0]
    cursor.execute(
        f"""{hits} SELECT o.* FROM (SELECT id, name FROM hits ORDER BY name, id LIMIT 25) AS page
            JOIN registry_organization o ON o.id = page.id ORDER BY page.name, page.id""",
        (term, community_id),
    )
    ids = [row[0] for row in cursor.fetchall()]
    marks = ",".join([mark] * len(ids))
    cursor.execute(
        f"""SELECT m.organization_id, c.slug FROM communities_membership m JOIN communities_community c
            ON c.id = m.community_id WHERE m.organization_id IN ({marks}) ORDER BY c.slug""",
        ids,
    )
    cursor.fetchall()
    return count, ids


def session_cookie(user) -> str:
    """Sign the member in without the log-in form (Argon2 is not what this measures)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    organizations = int(sys.argv[1])
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    data_dir = setup_django()
    from django.db import connection

    from commonground.communities.models import Community
    from commonground.demo.seeding import seed_community

    started = time.perf_counter()
    seed_community(
        slug="bench", name="Bench", organizations=organizations, people_per_organization=0, spread=2.0
    )
    seed_seconds = time.perf_counter() - started
    community = Community.objects.get(slug="bench")
    user, token = bench_member(community)
    cookie = session_cookie(user)
    postgres = connection.vendor == "postgresql"
    raw = raw_connection()
    raw.cursor().execute("ANALYZE")
    deep = max(2, min(2_000, organizations // 25 * 4 // 5))  # page 2,000 of 4,000 at 100,000

    with gunicorn_serving(data_dir) as port:
        api = {"Authorization": f"Token {token}"}
        page = {"Cookie": cookie}
        base = "/api/v1/organizations/?community=bench"
        search = f"{base}&q={WORD}"
        answer = get_json(port, search, api)
        count, ids = hand_written_search(raw, community.pk, postgres)
        assert [o["id"] for o in answer["results"]] == ids, "the API and the hand-written query disagree"
        assert answer["count_is_estimate"] or answer["count"] == count, (answer["count"], count)
        before = get_json(port, f"{base}&page={deep - 1}", api)
        by_cursor = before["next"].split("/api/", 1)[1]
        by_cursor = f"/api/{by_cursor}"
        assert "cursor=" in by_cursor and f"page={deep}" in by_cursor, by_cursor
        assert (
            get_json(port, by_cursor, api)["results"] == get_json(port, f"{base}&page={deep}", api)["results"]
        )
        html_by_cursor = "/c/bench/organizations/?" + by_cursor.split("?", 1)[1].replace(
            "community=bench&", ""
        )
        paths = {
            "search": (search, api),
            "unfiltered": (base, api),
            "selective": (f"{base}&level=tribal", api),
            "deep_cursor": (by_cursor, api),
            "deep_offset": (f"{base}&page={deep}", api),
            "page_first": ("/c/bench/organizations/", page),
            "page_deep_cursor": (html_by_cursor, page),
            "page_deep_offset": (f"/c/bench/organizations/?page={deep}", page),
        }
        for _ in range(5):  # warm up
            for path, headers in paths.values():
                get(port, path, headers)
        figures: dict[str, list[float]] = {name: [] for name in [*paths, "sql", "trivial"]}
        for _ in range(requests):
            for name, (path, headers) in paths.items():
                figures[name].append(get(port, path, headers))
            start = time.perf_counter()
            hand_written_search(raw, community.pk, postgres)
            figures["sql"].append(time.perf_counter() - start)
            figures["trivial"].append(get(port, "/healthz", {}))
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "organizations": organizations,
                "matches": count,
                "deep_page": deep,
                "seed_seconds": seed_seconds,
                **{f"{name}_ms": median_ms(samples) for name, samples in figures.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
