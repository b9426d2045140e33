"""Import organizations from CSV through the real import path, against a raw sqlite3 executemany.

Usage: python -m bench.import_organizations ROWS [--baseline | --baseline-tuned]
Prints one JSON line: rows, seconds, peak RSS; the baseline inserts the same rows with executemany,
on a plain sqlite3 connection (--baseline) or on one with the application's PRAGMAs (--baseline-tuned).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from .common import peak_rss_mb, raw_sqlite, setup_django, timer, write_organizations_csv


def raw_executemany(path: Path, tuned: bool = False) -> float:
    """Read the same file with the csv module and executemany its rows into the same table.

    What someone would write by hand to load the file with no checks: timed from opening the file
    to the commit, as the real import is. `tuned` gives it the application's PRAGMAs (its page cache).
    """
    import csv
    import sqlite3

    from django.conf import settings
    from django.utils import timezone

    now = timezone.now().isoformat()
    connection = raw_sqlite() if tuned else sqlite3.connect(settings.DATABASES["default"]["NAME"])
    with timer() as elapsed, path.open(newline="") as stream:
        rows = (
            (
                r["name"], r["sector"], r["category"], r["level"], r["ci_sector"], int(r["employees"] or 0) or None,
                r["address"], r["city"], r["state"], r["zip_code"], float(r["latitude"]), float(r["longitude"]),
                r["website"], now, now,
            )
            for r in csv.DictReader(stream)
        )  # fmt: skip
        connection.executemany(
            "INSERT INTO registry_organization (name, sector, category, level, ci_sector, employees, address, city,"
            " state, zip_code, latitude, longitude, website, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        connection.commit()
    connection.close()
    return elapsed["seconds"]


def real_import(path: Path) -> float:
    from commonground.demo.seeding import seed_community
    from commonground.registry.imports import OrganizationImporter

    community = seed_community(
        slug="bench", name="Bench", organizations=0, people_per_organization=0
    ).community
    with timer() as elapsed, path.open("rb") as stream:
        report = OrganizationImporter(actor=None, community=community).run(stream, path.name, max_rows=10**9)
    assert report.ok and report.created == report.rows, report.errors[:3]
    return elapsed["seconds"]


def main() -> None:
    rows = int(sys.argv[1])
    tuned = "--baseline-tuned" in sys.argv
    baseline = tuned or "--baseline" in sys.argv
    data_dir = setup_django()
    path = write_organizations_csv(Path(tempfile.mkdtemp()) / "organizations.csv", rows)
    seconds = raw_executemany(path, tuned) if baseline else real_import(path)
    print(
        json.dumps(
            {"rows": rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb(), "data_dir": str(data_dir)}
        )
    )


if __name__ == "__main__":
    main()
