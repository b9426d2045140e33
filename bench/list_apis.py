"""The organization and resource list APIs, with the common filters, beside the API root (/api/v1/) in the same
run, as a member and as a co-chair, through a real gunicorn server (issue 17: within 2x of the root).

Usage: python -m bench.list_apis ORGANIZATIONS RESOURCES_PER_ORGANIZATION [REQUESTS] [--profile PATH]
Runs on the database DATABASE_URL names (SQLite when unset); BENCH_KEEP=folder keeps the seeded installation (with
DATABASE_URL, that database) for the next run, and bench.resource_lists can share it. Prints one JSON line: each list's median and the
root's, per role. With --profile, runs PATH in process under cProfile instead (as the co-chair) and prints the
top of the profile.
"""

from __future__ import annotations

import json
import sys
import time

from .api_list import SERVER_ENV, get, gunicorn_serving
from .common import median_ms, raw_connection, seed_state, setup_django

ROOT = "/api/v1/"
LISTS = {
    "organizations": "/api/v1/organizations/",
    "organizations community": "/api/v1/organizations/?community=state-1",
    "organizations sector": "/api/v1/organizations/?community=state-1&sector=public",
    "organizations level": "/api/v1/organizations/?community=state-1&level=local",
    "organizations q": "/api/v1/organizations/?community=state-1&q=fire",
    "resources": "/api/v1/resources/",
    "resources community": "/api/v1/resources/?community=state-1",
    "resources type": "/api/v1/resources/?community=state-1&kind=equipment&category=esf12",
    "resources q": "/api/v1/resources/?community=state-1&q=generator",
}


def prepare(organizations: int, per_organization: int) -> dict[str, str]:
    """Seed one community; return an API token for a member and for a co-chair."""
    seed_state(organizations, per_organization, lists_only=True)
    from django.contrib.auth import get_user_model

    from commonground.accounts.services import token_create
    from commonground.communities.models import CoChair, Community
    from commonground.registry.models import Organization, Person
    from commonground.registry.tests.factories import UserFactory

    community = Community.objects.get(slug="state-1")
    first, second = Organization.objects.in_community(community).order_by("pk")[:2]
    tokens = {}
    for role, organization in (("member", first), ("co-chair", second)):
        user = get_user_model().objects.filter(username=f"bench-{role}").first()  # a kept installation's
        if user is None:
            user = UserFactory(username=f"bench-{role}")
            person = Person.objects.create(
                organization=organization, user=user, first_name="B", last_name=role
            )
            if role == "co-chair":
                CoChair.objects.create(community=community, person=person)
        tokens[role] = token_create(actor=None, user=user, name="bench")[1]
    settle()
    return tokens


def settle() -> None:
    """Bring the database to the state it keeps between bulk writes: statistics gathered and, on PostgreSQL,
    vacuumed as autovacuum would have it soon after the seeding. A GIN index holds freshly inserted rows in a
    pending list that every text search scans until a vacuum merges it (all 10,000 resources at CI size, where
    it cost `?q=` a sequential scan); the visibility map lets a covering index answer without the table, and a
    long text search read its matches' names from the word table's index alone (`resources.spatial.WORD_TABLE`)."""
    from django.db import connection

    raw_connection().cursor().execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def profile(path: str, token: str) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    for _ in range(20):
        response = client.get(path)
        assert response.status_code == 200, (response.status_code, response.content[:300])
    profiler = cProfile.Profile()
    start = time.process_time()
    profiler.enable()
    for _ in range(100):
        client.get(path)
    profiler.disable()
    print(f"{path}: {(time.process_time() - start) * 10:.2f} ms CPU a request (profiled)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main() -> None:
    profiled = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    arguments = [a for a in sys.argv[1:] if not a.startswith("--") and a != profiled]
    organizations, per_organization = int(arguments[0]), int(arguments[1])
    requests = int(arguments[2]) if len(arguments) > 2 else 100
    if profiled:  # the server's settings, in this process
        import os

        os.environ.update(SERVER_ENV)
    data_dir = setup_django()
    from django.db import connection

    tokens = prepare(organizations, per_organization)
    if profiled:
        profile(profiled, tokens["co-chair"])
        return
    figures: dict[str, dict[str, float]] = {}
    with gunicorn_serving(data_dir) as port:
        for role, token in tokens.items():
            headers = {"Authorization": f"Token {token}"}
            paths = {"root": ROOT, **LISTS}
            for _ in range(5):  # warm up
                for path in paths.values():
                    get(port, path, headers)
            samples: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(requests):
                for name, path in paths.items():  # interleaved: the same load on each
                    samples[name].append(get(port, path, headers))
            figures[role] = {name: median_ms(values) for name, values in samples.items()}
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "organizations": organizations,
                "resources": organizations * per_organization,
                "roles": figures,
            }
        )
    )


if __name__ == "__main__":
    main()
