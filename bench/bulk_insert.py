"""core.bulk.insert_returning_ids on PostgreSQL: UNNEST (one array a column) against the multi-row VALUES it replaced.

Usage: python -m bench.bulk_insert ROWS [REPEATS]
Inserts ROWS resources (all their columns, as the resource import and `seed` give them) into the database
DATABASE_URL names, REPEATS times each way, alternating, into the same table: the UNNEST path, the multi-row
VALUES path, and COPY with keys taken from the sequence first (the floor: nothing faster loads rows and
returns their keys). Prints one JSON line of medians.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from .common import setup_django


def resource_rows(community, organizations, count: int) -> tuple[list[str], list[tuple]]:
    from commonground.demo.generators import organization_rows, resource_rows
    from commonground.resources.models import Resource

    fields = [field for field in Resource._meta.concrete_fields if not field.primary_key]
    names = [field.name for field in fields]
    rows = []
    per_organization = max(1, count // len(organizations))
    generated = resource_rows(
        organization_rows(len(organizations), seed=1, spread=2.0), per_organization, seed=1
    )
    for i, row in enumerate(generated):
        if i == count:
            break
        record = Resource(
            community=community,
            organization=organizations[i % len(organizations)],
            name=row["name"],
            description=row["description"],
            kind=row["kind"],
            category=row["category"],
            capability_type=int(row["capability_type"]) if row["capability_type"] else None,
            capacity=float(row["capacity"]) if row["capacity"] else None,
            capacity_unit=row["capacity_unit"],
            quantity=float(row["quantity"]),
            unit=row["unit"],
            latitude=float(row["latitude"]) if row["latitude"] else None,
            longitude=float(row["longitude"]) if row["longitude"] else None,
            availability=row["availability"],
            terms=row["terms"],
            tlp=row["tlp"],
        )
        rows.append(tuple(field.pre_save(record, True) for field in fields))
    return names, rows


def copy_with_keys(model, names: list[str], rows: list[tuple]) -> list[int]:
    """The floor: take the keys from the sequence, then COPY the rows with them."""
    from django.db import connection

    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join([pk, *(field.column for field in fields)])
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row((pk_value, *row))
    return ids


def main() -> None:
    count = int(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    setup_django()
    from django.db import connection, transaction

    from commonground.core import bulk
    from commonground.demo.seeding import seed_community
    from commonground.registry.models import Organization
    from commonground.resources.models import Resource

    community = seed_community(
        slug="bench", name="Bench", organizations=200, people_per_organization=0, spread=2.0
    ).community
    organizations = list(Organization.objects.all())
    names, rows = resource_rows(community, organizations, count)
    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench.bulk_insert compares PostgreSQL's ways; set DATABASE_URL to a PostgreSQL database"
        )
    ways = {"unnest": bulk._insert_unnest, "values": bulk._insert_values, "copy": copy_with_keys}
    samples: dict[str, list[float]] = {way: [] for way in ways}
    for _ in range(repeats):
        for way, insert in ways.items():
            with transaction.atomic():
                start = time.perf_counter()
                ids = insert(Resource, names, rows)
                samples[way].append(time.perf_counter() - start)
                assert len(ids) == len(rows)
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM resources_resource")
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "rows": len(rows),
                **{f"{way}_seconds": statistics.median(values) for way, values in samples.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
