"""Set up a throw-away installation for a benchmark, and print results the same way."""

from __future__ import annotations

import atexit
import csv
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

# A migrated SQLite installation that `python -m bench` made once for the benchmarks' processes (bench.runner):
# each copies it rather than migrating from nothing (seconds of each process, tens of processes).
MIGRATED = "BENCH_MIGRATED_DATA_DIR"
# In CI, the installation with the demo loaded that the suite built (core.testing.SHARED_INSTALLATIONS), for the
# benchmarks of the demo's pages: loading it again took half a minute.
DEMO = "BENCH_DEMO_DATA_DIR"
# A data folder to keep between runs of a state-scale benchmark (BENCH_KEEP=folder, with the same DATABASE_URL):
# the first run seeds it, the next find it seeded at the same size and measure at once (seeding 1,000,000
# resources takes minutes).
KEEP = "BENCH_KEEP"


def setup_django(data_dir: Path | None = None, *, demo: bool = False) -> Path:
    """Point the settings at a fresh data folder (SQLite unless DATABASE_URL is set) and migrate.

    A folder made here is removed when the benchmark's process ends (state-scale runs leave gigabytes). On
    SQLite it starts as a copy of the run's migrated installation when there is one (with `demo`, of CI's
    installation with the demo loaded when there is one); `migrate` then finds nothing to do, as it does on
    PostgreSQL's scratch databases (copies of a migrated template). With BENCH_KEEP, that folder, kept."""
    if data_dir is None and os.environ.get(KEEP):
        data_dir = Path(os.environ[KEEP])
        data_dir.mkdir(parents=True, exist_ok=True)
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="cg-bench-"))
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    if os.environ.get("DATABASE_URL"):
        source = demo and os.environ.get(POSTGRES_DEMO)
    else:
        source = (demo and os.environ.get(DEMO)) or os.environ.get(MIGRATED)
    if source:
        shutil.copytree(source, data_dir, dirs_exist_ok=True)
    os.environ["COMMONGROUND_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def raw_sqlite():
    """A plain sqlite3 connection to the benchmark's database, with the PRAGMAs the application sets.

    The baselines run on it, so that they differ from the application only in the code above SQLite.
    """
    import sqlite3

    from django.conf import settings

    database = settings.DATABASES["default"]
    connection = sqlite3.connect(database["NAME"])
    connection.executescript(database.get("OPTIONS", {}).get("init_command", ""))
    return connection


@contextmanager
def timer():
    result = {}
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def write_organizations_csv(path: Path, rows: int, seed: int = 1) -> Path:
    """Write a CSV of synthetic organizations, streamed to disk."""
    from commonground.demo.generators import organization_rows

    with path.open("w", newline="") as stream:
        writer = None
        for row in organization_rows(rows, seed=seed):
            if writer is None:
                writer = csv.DictWriter(stream, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
    return path


def line(name: str, figure: str, baseline: str, ratio: float, goal: str, met: bool | None = None) -> None:
    verdict = "" if met is None else ("  [goal met]" if met else "  [GOAL MISSED]")
    print(f"{name:<58} {figure:>16}  baseline {baseline:>16}  ratio {ratio:6.2f}x  goal {goal}{verdict}")
    sys.stdout.flush()


def bench_databases() -> list[str]:
    """The engines `BENCH_DATABASE` names: sqlite (the default), postgres, or both."""
    chosen = os.environ.get("BENCH_DATABASE", "sqlite")
    if chosen not in ("sqlite", "postgres", "both"):
        raise SystemExit(f"BENCH_DATABASE is sqlite, postgres or both, not {chosen!r}")
    return ["sqlite", "postgres"] if chosen == "both" else [chosen]


# The migrated template that `python -m bench` named for the benchmarks it runs side by side (bench.jobs): each
# part copies it rather than migrating one of its own.
POSTGRES_TEMPLATE = "BENCH_POSTGRES_TEMPLATE"
# In CI, the data folder of the run's PostgreSQL installation with the demo (core.testing_postgres), for the
# benchmarks of the demo's pages: its secret key, under which the demo's credential keys are encrypted.
POSTGRES_DEMO = "BENCH_POSTGRES_DEMO_DATA_DIR"


def _server() -> str:
    """BENCH_POSTGRES_URL's server, without a database: postgres://postgres@127.0.0.1:5432/ by default."""
    return (
        os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
        + "/"
    )


def migrated_postgres_template() -> str:
    """The name of a PostgreSQL database migrated once for this run of the benchmarks: CI's (core.testing_postgres,
    which `.ci/run` drops at its end), else one made by this process (dropped when it exits) or by the `python -m
    bench` that started it (bench.jobs)."""
    from commonground.core.testing_postgres import template

    return os.environ.get(POSTGRES_TEMPLATE) or template(demo=False, server=_server())[0]


def postgres_demo() -> tuple[str, Path] | None:
    """In CI, the run's PostgreSQL template with the demo loaded and its data folder; elsewhere None (a benchmark
    then loads the demo itself)."""
    from commonground.core.testing import SHARED_INSTALLATIONS
    from commonground.core.testing_postgres import template

    return template(demo=True, server=_server()) if os.environ.get(SHARED_INSTALLATIONS) else None


@contextmanager
def scratch_database(engine: str, *, demo: bool = False):
    """Yield the DATABASE_URL of a fresh, migrated database for one benchmark process ('' for SQLite).

    PostgreSQL's comes from `BENCH_POSTGRES_URL` (the server, default the local one), a copy of a template
    migrated once for the run (with `demo`, in CI, of the run's template with the demo loaded), and is dropped
    after.
    """
    if engine == "sqlite":
        yield ""
        return
    from commonground.core.testing_postgres import copy_database, drop

    server = _server()
    found = postgres_demo() if demo else None
    name = copy_database(server, found[0] if found else migrated_postgres_template())
    try:
        yield server + name
    finally:
        drop(server, name)


def raw_connection():
    """A plain DB-API connection to the benchmark's database: sqlite3 (with the PRAGMAs) or psycopg."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return raw_sqlite()
    import psycopg

    return psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)


def seed_state(organizations: int, resources_per_organization: int, *, lists_only: bool = False) -> float:
    """Seed one community, "state-1", of organizations spread over a whole state; return the seconds it took.

    With `lists_only`, only what the lists read: no people, critical functions, assessments or issues. In a kept
    installation (BENCH_KEEP) already seeded at that size, nothing is done and 0 returned (keep one folder for each
    benchmark: a lists-only seed is not told from a whole one)."""
    from django.core.management import call_command

    from commonground.communities.models import Community
    from commonground.registry.models import Organization
    from commonground.resources.models import Resource

    community = Community.objects.filter(slug="state-1").first()
    if os.environ.get(KEEP) and community is not None:
        seeded = (
            Organization.objects.in_community(community).count(),
            Resource.objects.filter(community=community).count(),
        )
        if seeded != (organizations, organizations * resources_per_organization):
            raise SystemExit(
                f"{os.environ[KEEP]} holds {seeded} organizations and resources, not the size asked"
            )
        return 0.0

    only = {"people": 0, "assessing": 0, "no_issues": True} if lists_only else {"people": 0}
    started = time.perf_counter()
    call_command(
        "seed", organizations=organizations, resources=resources_per_organization, spread=2.0, prefix="state",
        verbosity=0, **only,
    )  # fmt: skip
    return time.perf_counter() - started


def bench_member(community) -> tuple:
    """A member of the community's first organization who reads the lists: (user, API token)."""
    from django.contrib.auth import get_user_model

    from commonground.accounts.services import token_create
    from commonground.registry.models import Organization, Person
    from commonground.registry.tests.factories import UserFactory

    user = get_user_model().objects.filter(username="bench-member").first()  # a kept installation's
    if user is None:
        user = UserFactory(username="bench-member")
        organization = Organization.objects.in_community(community).first()
        Person.objects.create(organization=organization, user=user, first_name="B", last_name="M")
    return user, token_create(actor=None, user=user, name="bench")[1]
