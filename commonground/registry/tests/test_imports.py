import io

import pytest
from openpyxl import Workbook

from commonground.core.models import AuditEntry
from commonground.registry.imports import OrganizationImporter, PersonImporter
from commonground.registry.models import Organization, Person

HEADER = "name,sector,category,level,employees,zip_code\n"
GOOD = (
    HEADER + "Good One,private,utility,,1,\n"
)  # a good row before each bad one: it must not be written either


def run(table, content, *, name="orgs.csv", dry_run=False, importer=OrganizationImporter, actor=None):
    stream = io.BytesIO(content.encode("utf-8") if isinstance(content, str) else content)
    return importer(actor=actor or table.cochair, community=table.community).run(
        stream, name, dry_run=dry_run
    )


def test_a_good_file_creates_and_updates_with_an_audit_entry_each(table):
    report = run(
        table,
        HEADER
        + "Summit Telecom,private,utility,,380,48917\ngreat lakes logistics,Private,Employer (large),,2100,\n",
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert Organization.objects.in_community(table.community).count() == 3
    table.private_org.refresh_from_db()
    assert table.private_org.employees == 2100
    assert AuditEntry.objects.filter(action="create", content_type__model="organization").count() == 1
    assert AuditEntry.objects.get(action="update").changes["employees"] == [2000, 2100]


def test_a_dry_run_reports_what_would_change_and_writes_nothing(table):
    report = run(table, HEADER + "Summit Telecom,private,utility,,380,48917\n", dry_run=True)
    assert report.ok and report.created == 1
    assert not Organization.objects.filter(name="Summit Telecom").exists()
    assert not AuditEntry.objects.exists()


def test_reimporting_the_same_rows_changes_nothing(table):
    content = HEADER + "Summit Telecom,private,utility,,380,48917\n"
    run(table, content)
    report = run(table, content)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


@pytest.mark.parametrize(
    "content, row, column, fragment",
    [
        ("nom,sector,category\nA,private,utility\n", 1, "", "unknown column"),
        ("sector,category\nprivate,utility\n", 1, "", "missing required column"),
        (GOOD + "A,private,utility,,many,\n", 3, "employees", "not a whole number"),
        (GOOD + "A,private,volcanology,,,\n", 3, "category", "not one of"),
        (GOOD + "A,public,police,,,\n", 3, "level", "government level"),
        (GOOD + "B,private,utility,,,\n good  one ,private,utility,,,\n", 4, "name", "duplicates row 2"),
        (GOOD + "A,private,utility,,-4,\n", 3, "employees", "at least 0"),
        (GOOD + "A,private,utility,,,ABCDE\n", 3, "zip_code", "not a ZIP code"),
        (GOOD + "A,private,utility,,,,extra\n", 3, "", "more cells"),
    ],
)
def test_a_bad_file_is_reported_by_row_and_column_and_writes_nothing(table, content, row, column, fragment):
    before = Organization.objects.count()
    report = run(table, content)
    assert not report.ok
    error = report.errors[0]
    assert (error.row, error.column) == (row, column), report.errors
    assert fragment in error.message
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_a_file_in_the_wrong_encoding_is_refused(table):
    report = run(table, (HEADER + "Café Ríos,private,small_employer,,3,\n").encode("cp1252"))
    assert not report.ok and "UTF-8" in report.errors[0].message
    assert not Organization.objects.filter(name__startswith="Caf").exists()


def test_every_bad_row_is_reported_not_just_the_first(table):
    report = run(table, HEADER + "".join(f"Org {i},private,utility,,x,\n" for i in range(5)))
    assert report.error_count == 5 and [e.row for e in report.errors] == [2, 3, 4, 5, 6]


def test_xlsx_imports_like_csv(table):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "sector", "category", "employees"])
    sheet.append(["Summit Telecom", "private", "utility", 380])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(table, buffer.getvalue(), name="orgs.xlsx")
    assert report.ok and Organization.objects.get(name="Summit Telecom").employees == 380


def test_people_import_resolves_organizations_by_name_at_this_table(table):
    content = "organization,first_name,last_name,email,contact_tlp\nRiverbend Fire,Ana,Lee,ana@example.org,TLP:AMBER\nElsewhere Bakery,Bo,Kim,bo@example.org,\n"
    report = run(table, content, importer=PersonImporter)
    assert not report.ok
    assert (report.errors[0].row, report.errors[0].column) == (3, "organization")
    assert not Person.objects.filter(email="ana@example.org").exists()
    report = run(table, content.rsplit("Elsewhere", 1)[0], importer=PersonImporter)
    assert report.ok and Person.objects.get(email="ana@example.org").contact_tlp == "TLP:AMBER"


def test_only_leaders_import(table):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        OrganizationImporter(actor=table.member, community=table.community)


def test_an_exported_file_imports_back_unchanged(table):
    from commonground.core import exchange
    from commonground.core.services import viewer_of
    from commonground.registry import exports

    table.private_org.name = "=cmd|' /C calc'!A0"
    table.private_org.save()
    content, _count = exchange.render(
        exports.organizations_export(viewer=viewer_of(table.cochair), community=table.community), "csv"
    )
    assert b"'=cmd" in content
    report = run(table, content)
    assert report.ok and report.unchanged == 2, report.errors
