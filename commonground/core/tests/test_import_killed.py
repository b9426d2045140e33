"""An import killed while it writes leaves nothing half-written: the next import undoes its batches.

Real processes against a real SQLite file (SIGKILL cannot be caught, so nothing in the killed process
can clean up): one imports 20,000 organizations in batches of 500 and is killed once some are in; a
second, later import finds the journal entry of the dead one and undoes what it wrote.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)

ROWS = 20_000


def setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()


def prepare() -> None:
    setup_django()
    from commonground.demo.seeding import seed_community

    seed_community(slug="kill", name="Kill", organizations=1, people_per_organization=0)


def import_forever() -> None:
    setup_django()
    from commonground.communities.models import Community
    from commonground.core.importing import engine
    from commonground.registry.imports import OrganizationImporter

    # A slice commits what it wrote: short ones, so that some are committed long before the file ends.
    engine.WRITE_SLICE_SECONDS = 0.05
    importer = OrganizationImporter(actor=None, community=Community.objects.get(slug="kill"))
    importer.batch_size = 500
    rows = (
        (n, {"name": f"Imported {n}", "sector": "private", "category": "utility"}) for n in range(2, ROWS + 2)
    )
    importer.run_rows(rows)


def import_again() -> None:
    setup_django()
    from commonground.communities.models import Community
    from commonground.registry.imports import OrganizationImporter

    report = OrganizationImporter(actor=None, community=Community.objects.get(slug="kill")).run_rows(
        [(2, {"name": "After the crash", "sector": "private", "category": "utility"})]
    )
    assert report.ok and report.created == 1, report.errors


def _run(mode: str, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "commonground.core.tests.test_import_killed", mode],
        capture_output=True, text=True, env=environment, timeout=600,
    )  # fmt: skip


def _count(database, sql: str) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(sql).fetchone()[0]


def test_an_import_killed_while_writing_is_undone_by_the_next(tmp_path):
    from commonground.core.testing import installation_copy

    installation_copy(tmp_path, demo=False)  # a migrated installation, which `prepare` seeds
    environment = {**os.environ, "COMMONGROUND_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    assert _run("prepare", environment).returncode == 0
    database = next(tmp_path.glob("*.sqlite3"))
    imported = "SELECT count(*) FROM registry_organization WHERE name LIKE 'Imported %'"
    audited = "SELECT count(*) FROM core_auditentry WHERE object_repr LIKE 'Imported %'"
    writer = subprocess.Popen(
        [sys.executable, "-m", "commonground.core.tests.test_import_killed", "import"], env=environment
    )
    try:
        while writer.poll() is None and _count(database, imported) < 1000:
            time.sleep(0.05)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    half = _count(database, imported)
    assert 0 < half < ROWS, "the import was not caught halfway"
    assert _count(database, "SELECT count(*) FROM core_unfinishedimport") == 1

    again = _run("again", environment)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _count(database, imported) == 0
    assert _count(database, audited) == 0
    assert _count(database, "SELECT count(*) FROM core_unfinishedimport") == 0
    assert _count(database, "SELECT count(*) FROM registry_organization WHERE name = 'After the crash'") == 1


if __name__ == "__main__":
    {"prepare": prepare, "import": import_forever, "again": import_again}[sys.argv[1]]()
