import io

import pytest

from commonground.core.models import AuditEntry
from commonground.resources.imports import ResourceImporter
from commonground.resources.models import Resource

HEADER = "organization,name,kind,category,quantity,latitude,longitude,verified_on,capacity,capacity_unit\n"


def run(table, text: str, dry_run=False):
    return ResourceImporter(actor=table.cochair, community=table.community).run(
        io.BytesIO(text.encode()), "resources.csv", dry_run=dry_run
    )


def test_a_good_file_is_imported_with_audit_and_indexes(table):
    report = run(
        table,
        HEADER
        + "Great Lakes Logistics,Forklift,equipment,esf7,4,42.7,-84.5,2026-10-01,5000,lb\n"
        + "Riverbend Fire,Engine 3,equipment,ESF 4 Firefighting,1,42.71,-84.51,,,\n",
    )
    assert report.ok, report.errors
    assert report.created == 2
    assert Resource.objects.get(name="Engine 3").category == "esf4"
    assert AuditEntry.objects.filter(content_type__model="resource", action="create").count() == 2
    from commonground.resources.spatial import Near, NearestFirst

    assert len(NearestFirst(Resource.objects.all(), Near(42.7, -84.5, 5))) == 2
    again = run(
        table, HEADER + "Great Lakes Logistics,Forklift,equipment,esf7,6,42.7,-84.5,2026-10-01,5000,lb\n"
    )
    assert (again.created, again.updated) == (0, 1)
    assert Resource.objects.get(name="Forklift").quantity == 6


@pytest.mark.parametrize(
    "row, column",
    [
        ("Great Lakes Logistics,Pump,equipment,esf3,1,95,-84.5,,,", "latitude"),
        ("Great Lakes Logistics,Pump,spaceship,esf3,1,42,-84.5,,,", "kind"),
        ("Great Lakes Logistics,Pump,equipment,esf3,-2,42,-84.5,,,", "quantity"),
        ("Great Lakes Logistics,Pump,equipment,esf3,1,42,-84.5,31/12/2026,,", "verified_on"),
        ("Nobody Inc,Pump,equipment,esf3,1,42,-84.5,,,", "organization"),
        ("Great Lakes Logistics,Pump,equipment,esf3,1,42,,,,", "latitude"),
        ("Great Lakes Logistics,Pump,equipment,esf3,1,42,-84.5,,100,", "capacity_unit"),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(table, row, column):
    good = "Great Lakes Logistics,Forklift,equipment,esf7,4,42.7,-84.5,,,\n"
    report = run(table, HEADER + good + row + "\n")
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert not Resource.objects.exists()


def test_a_duplicate_row_is_reported(table):
    row = "Great Lakes Logistics,Forklift,equipment,esf7,4,42.7,-84.5,,,\n"
    report = run(table, HEADER + row + row.replace("Forklift", "forklift "))
    assert [(e.row, e.column) for e in report.errors] == [(3, "name")]
    assert not Resource.objects.exists()


def test_a_blank_capability_type_is_none_and_a_given_one_a_number(table):
    report = run(
        table,
        "organization,name,kind,category,capability_type\n"
        "Riverbend Fire,Engine 1,equipment,esf4,1\nRiverbend Fire,Engine 2,equipment,esf4,\n",
    )
    assert report.ok, report.errors
    assert dict(Resource.objects.values_list("name", "capability_type")) == {"Engine 1": 1, "Engine 2": None}


def analyzed(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].upper().startswith("ANALYZE")]


def test_an_import_ends_with_analyze_of_the_tables_it_wrote(table):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        report = run(table, HEADER + "Great Lakes Logistics,Forklift,equipment,esf7,4,42.7,-84.5,,,\n")
    assert report.ok, report.errors
    statements = " ".join(analyzed(captured.captured_queries))
    assert '"resources_resource"' in statements
    assert '"core_auditentry"' in statements
    assert captured.captured_queries[-1]["sql"].upper().startswith("ANALYZE")


def test_a_dry_run_or_a_refused_file_analyzes_nothing(table):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    good = "Great Lakes Logistics,Forklift,equipment,esf7,4,42.7,-84.5,,,\n"
    with CaptureQueriesContext(connection) as captured:
        assert run(table, HEADER + good, dry_run=True).ok
        assert not run(table, HEADER + good + "Nobody Inc,Pump,equipment,esf3,1,42,-84.5,,,\n").ok
    assert analyzed(captured.captured_queries) == []
    assert not Resource.objects.exists()
