"""Writes from other users go through while a large import runs: its write lock is never held for long.

The import runs in a thread against a real SQLite file (the test database of pytest-django is in
memory, where the busy timeout does not apply), with the application's busy timeout. After each of its
writes the other user counts the imported rows: some count lies strictly between none and all, so its
writes went in between the import's, where an import holding the write lock for the whole file (as it
once did) lets nobody in until it is done. No timings: the machine may be loaded.
"""

import os
import subprocess
import sys
import threading

import pytest

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)

ROWS = 20_000


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from commonground.demo.seeding import seed_community
    from commonground.registry import services
    from commonground.registry.imports import OrganizationImporter
    from commonground.registry.models import Organization

    community = seed_community(slug="load", name="Load", organizations=1, people_per_organization=0).community
    other = Organization.objects.in_community(community).get()
    rows = (
        (number, {"name": f"Imported {number}", "sector": "private", "category": "utility"})
        for number in range(2, ROWS + 2)
    )
    done = threading.Event()
    result, seen, failures = {}, [], []

    from commonground.core.importing import engine

    # 20,000 rows write in about as long as one slice: shorter slices make the pauses show at this size.
    engine.WRITE_SLICE_SECONDS = 0.25

    def run_import():
        try:
            importer = OrganizationImporter(actor=None, community=community)
            importer.batch_size = 500
            result["report"] = importer.run_rows(rows)
        finally:
            done.set()
            connection.close()

    def write_meanwhile():
        count = 0
        while not done.is_set():
            count += 1
            try:
                organization = Organization.objects.get(pk=other.pk)
                services.organization_update(actor=None, organization=organization, data={"employees": count})
                seen.append(Organization.objects.filter(name__startswith="Imported ").count())
            except Exception as error:  # what a user would see as a 500
                failures.append(repr(error))
        connection.close()

    importer, writer = threading.Thread(target=run_import), threading.Thread(target=write_meanwhile)
    importer.start()
    writer.start()
    importer.join()
    writer.join()
    report = result["report"]
    between = sorted({count for count in seen if 0 < count < ROWS})
    print(f"import ok={report.ok} created={report.created}; writes={len(seen)} failures={len(failures)}")
    print(f"imported rows seen by the other writer between its writes: {between[:10]}")
    assert report.ok and report.created == ROWS, report.errors[:3]
    assert not failures, failures[:3]
    assert between, "no write of the other user went in while the import ran"
    assert Organization.objects.filter(name__startswith="Imported ").count() == ROWS


def test_writes_from_other_users_during_a_large_import_all_succeed(tmp_path):
    environment = {**os.environ, "COMMONGROUND_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    finished = subprocess.run(
        [sys.executable, "-m", "commonground.registry.tests.test_import_load"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "failures=0" in finished.stdout


if __name__ == "__main__":
    main()
