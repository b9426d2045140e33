"""Import resources from CSV through the real import path, against a raw sqlite3 executemany of the same file.

Usage: python -m bench.import_resources ORGANIZATIONS RESOURCES_PER_ORGANIZATION [--baseline]
The organizations are seeded first (not timed); the file holds ORGANIZATIONS x RESOURCES_PER_ORGANIZATION rows.
Prints one JSON line: rows, seconds, peak RSS.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path

from .common import peak_rss_mb, raw_sqlite, setup_django, timer


def write_file(path: Path, organizations: int, per_organization: int) -> Path:
    from commonground.demo.generators import organization_rows, resource_rows

    with path.open("w", newline="") as stream:
        writer = None
        for row in resource_rows(
            organization_rows(organizations, seed=1, spread=2.0), per_organization, seed=1
        ):
            if writer is None:
                writer = csv.DictWriter(stream, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
    return path


def raw_executemany(path: Path, community) -> float:
    """Read the file with the csv module and executemany it into the same table: no checks, no audit."""

    from django.utils import timezone

    from commonground.registry.models import Organization

    organization_ids = dict(Organization.objects.values_list("name", "pk"))
    now = timezone.now().isoformat()
    connection = raw_sqlite()

    def number(text):
        return float(text) if text else None

    with timer() as elapsed, path.open(newline="") as stream:
        rows = (
            (
                community.pk, organization_ids[r["organization"]], r["name"], r["description"], r["kind"], r["category"],
                int(r["capability_type"]) if r["capability_type"] else None, number(r["capacity"]), r["capacity_unit"],
                float(r["quantity"]), r["unit"], "", "", "", "", number(r["latitude"]), number(r["longitude"]),
                r["availability"], number(r["deploy_hours"]), r["terms"], r["tlp"], r["verified_on"], now, now, 0,
            )
            for r in csv.DictReader(stream)
        )  # fmt: skip
        connection.executemany(
            "INSERT INTO resources_resource (community_id, organization_id, name, description, kind, category,"
            " capability_type, capacity, capacity_unit, quantity, unit, address, city, state, zip_code, latitude,"
            " longitude, availability, deploy_hours, terms, tlp, verified_on, created, updated,"
            " disclosed_in_incidents) VALUES (" + ",".join("?" * 25) + ")",
            rows,
        )
        connection.commit()
    connection.close()
    return elapsed["seconds"]


def main() -> None:
    organizations, per_organization = int(sys.argv[1]), int(sys.argv[2])
    baseline = "--baseline" in sys.argv
    data_dir = setup_django()
    from commonground.demo.seeding import seed_community

    community = seed_community(
        slug="bench", name="Bench", organizations=organizations, people_per_organization=0, spread=2.0
    ).community
    path = write_file(Path(tempfile.mkdtemp()) / "resources.csv", organizations, per_organization)
    if baseline:
        seconds = raw_executemany(path, community)
    else:
        from commonground.resources.imports import ResourceImporter

        with timer() as elapsed, path.open("rb") as stream:
            report = ResourceImporter(actor=None, community=community).run(stream, path.name, max_rows=10**9)
        assert report.ok and report.created == report.rows, report.errors[:3]
        seconds = elapsed["seconds"]
    rows = organizations * per_organization
    print(
        json.dumps(
            {"rows": rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb(), "data_dir": str(data_dir)}
        )
    )


if __name__ == "__main__":
    main()
