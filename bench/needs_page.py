"""The needs assessment's profile at state scale, beside the trivial view in the same run (issue 17).

Usage: python -m bench.needs_page ORGANIZATIONS [SAMPLES] [--profile NAME]
Seeds one community of ORGANIZATIONS (the default `--assessing 0.6`: 21 answers from each of six in ten
organizations, so 20,000 give ~250,000 answers; the state's 100,000 give 1.26M) on the database DATABASE_URL
names (SQLite when unset), signs in a member and a co-chair without a password, and serves each page through
Django's test client (the production settings, DEBUG off), interleaved with /healthz. The profile is read three
ways: kept for the reader between writes (`communities.snapshots.kept_for_reader`: what a reader pays until the
next write at the community); after a write (before each request one organization, far from the readers',
saves an answer through the service, which draws the community's token and its block's anew: what the first
reader after a write pays, the kept block sums of `sustainability.needs_sums` with that block summed again);
and as it was (every organization's row of every item read into Python: `_by_organization`), also after a write.
Prints one JSON line: for each role and page the median wall and CPU milliseconds. On SQLite the database's
work is in this process's CPU; on PostgreSQL only in the wall time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from functools import partial

from .common import raw_connection, setup_django
from .page_cpu import SETTINGS, serve

TRIVIAL = "trivial view (/healthz)"
GATHER = None  # the profile's own way of summing (`priorities.gather_needs_profile`), put back after "by organization"


def prepare(organizations: int):
    """Seed the community; return the assessment and a member and a co-chair (users of two organizations)."""
    from django.core.management import call_command

    call_command(
        "seed", organizations=organizations, people=1, resources=0, no_issues=True, spread=2.0,
        prefix="state", verbosity=0,
    )  # fmt: skip
    from commonground.communities.models import CoChair, Community
    from commonground.registry.models import Organization, Person
    from commonground.registry.tests.factories import UserFactory
    from commonground.sustainability.models import NeedsAssessment

    community = Community.objects.get(slug="state-1")
    first, second = Organization.objects.in_community(community).order_by("pk")[:2]
    users = {}
    for role, organization in (("member", first), ("co-chair", second)):
        user = UserFactory(username=f"bench-{role}")
        person = Person.objects.create(organization=organization, user=user, first_name="B", last_name=role)
        if role == "co-chair":
            CoChair.objects.create(community=community, person=person)
        users[role] = user
    raw_connection().cursor().execute("ANALYZE")
    return NeedsAssessment.objects.get(community=community), users


def write_at_one_organization(assessment, number: int) -> None:
    """Save one answer of one of the community's last organizations (another each time, in turn), through
    the service: audited, so it draws the community's progress token and its block's anew."""
    from commonground.registry.models import Organization
    from commonground.sustainability.services import needs_answers_save

    seated = Organization.objects.in_community(assessment.community).order_by("-pk")[:50]
    organization = list(seated)[number % 50]
    item = assessment.items.order_by("pk")[number % assessment.items.count()]
    needs_answers_save(
        actor=None, assessment=assessment, organization=organization,
        answers=[{"item": item.pk, "level": 1 + number % 5, "importance": 1 + (number // 5) % 5}],
    )  # fmt: skip


def by_organization():
    """Read the profile as it was read before `summaries`: every organization's rows into Python."""
    from commonground.core import aggregates
    from commonground.sustainability import priorities

    def old(queryset, viewer, measures, *, group_by=None, key=None):
        result = aggregates._by_organization(queryset, viewer, measures, group_by=group_by, key=key)
        return {None: result[None]} if group_by is None else result

    priorities.disclosed_figures = old
    priorities.gather_needs_profile = partial(GATHER, direct=True)


def main() -> None:
    import os

    arguments = sys.argv[1:]
    profiled = arguments[arguments.index("--profile") + 1] if "--profile" in arguments else None
    numbers = [a for a in arguments if a.isdigit()]
    organizations = int(numbers[0])
    samples = int(numbers[1]) if len(numbers) > 1 else 15
    os.environ.update(SETTINGS)
    setup_django()
    from django.db import connection
    from django.test import Client

    from commonground.core import aggregates
    from commonground.sustainability import priorities
    from commonground.sustainability.models import NeedsAnswer

    global GATHER
    GATHER = priorities.gather_needs_profile
    assessment, users = prepare(organizations)
    pages = {
        "needs profile page": f"/needs/{assessment.pk}/",
        "needs profile API": f"/api/v1/needs-assessments/{assessment.pk}/profile/",
        "dashboard": f"/c/{assessment.community.slug}/",
        TRIVIAL: "/healthz",
    }
    result: dict = {"engine": connection.vendor, "organizations": organizations, "samples": samples}
    result["needs_answers"] = NeedsAnswer.objects.count()
    result["roles"] = {}
    writes = 0
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        if profiled:
            import cProfile
            import pstats

            serve(client, pages[profiled], {})
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(samples):
                serve(client, pages[profiled], {})
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
            return
        figures = {}
        for way in ("kept", "after a write", "by organization"):
            priorities.disclosed_figures = aggregates.disclosed_figures
            priorities.gather_needs_profile = GATHER
            if way == "by organization":
                by_organization()
            chosen = {name: path for name, path in pages.items() if way == "kept" or "needs" in name}
            chosen[TRIVIAL] = pages[TRIVIAL]
            for path in chosen.values():  # warm up
                serve(client, path, {})
            times: dict[str, tuple[list, list]] = {name: ([], []) for name in chosen}
            for _ in range(samples if way == "kept" else max(3, samples // 3)):
                for name, path in chosen.items():
                    if way != "kept" and name != TRIVIAL:
                        writes += 1
                        write_at_one_organization(assessment, writes)
                    cpu, wall = serve(client, path, {})
                    times[name][0].append(cpu), times[name][1].append(wall)
            for name, (cpu, wall) in times.items():
                key = name if way == "kept" or name == TRIVIAL else f"{name}, {way}"
                if way != "kept" and name == TRIVIAL:
                    key = f"{TRIVIAL}, beside {way}"
                figures[key] = {
                    "wall_ms": statistics.median(wall) * 1000,
                    "cpu_ms": statistics.median(cpu) * 1000,
                }
        result["roles"][role] = figures
    priorities.disclosed_figures = aggregates.disclosed_figures
    priorities.gather_needs_profile = GATHER
    print(json.dumps(result))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
