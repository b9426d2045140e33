"""`commonground seed` at two sizes: peak memory and time, each run in a fresh process.

Usage: python -m bench.seed_scale ORGANIZATIONS RESOURCES_PER_ORGANIZATION
Seeds one community with every step's data (people, resources, the default `--assessing 0.6` share's
critical functions, hazard assessments and needs answers, the common issues and their endorsements,
goals, tasks and meetings) on the database DATABASE_URL names (SQLite when unset). Prints one JSON line:
the process's peak resident memory (ru_maxrss) and that before seeding, wall and CPU seconds of the seed.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from .common import peak_rss_mb, setup_django


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    organizations, per_organization = int(sys.argv[1]), int(sys.argv[2])
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from commonground.agenda.models import Endorsement
    from commonground.sustainability.models import NeedsAnswer

    before = peak_rss_mb()
    started, cpu_started = time.perf_counter(), cpu_seconds()
    call_command(
        "seed",
        organizations=organizations,
        resources=per_organization,
        spread=2.0,
        prefix="state",
        verbosity=0,
    )
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "organizations": organizations,
                "resources": organizations * per_organization,
                "needs_answers": NeedsAnswer.objects.count(),
                "endorsements": Endorsement.objects.count(),
                "peak_rss_mb": peak_rss_mb(),
                "before_seed_rss_mb": before,
                "seconds": seconds,
                "cpu_seconds": cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
