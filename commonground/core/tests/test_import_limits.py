"""Imports refuse files past their limits before any work, and a failed write leaves nothing behind."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from commonground.core.importing import engine, journal
from commonground.core.models import AuditEntry
from commonground.core.tabular import Column, TabularError, read_table, text
from commonground.registry.imports import OrganizationImporter
from commonground.registry.models import Organization

COLUMNS = [Column("name", text(200), required=True)]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)


def workbook(rows: str, dimension: str | None = None, padding: int = 0) -> io.BytesIO:
    """Build a one-sheet workbook by hand, as an attacker would: any dimension, any row numbers."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{rows}</sheetData>"
        + " " * padding
        + "</worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    buffer.seek(0)
    return buffer


def cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


HEADER_ROW = '<row r="1">' + cell("A1", "name") + "</row>"
FAR_ROW = '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"


def rows_of(stream, **limits):
    return list(read_table(stream, "hostile.xlsx", COLUMNS, **limits))


@pytest.mark.django_db
def test_the_hostile_workbook_of_the_issue_is_refused_before_any_row_is_read():
    stream = workbook(HEADER_ROW + FAR_ROW, dimension="A1:XFD1048576")
    assert len(stream.getvalue()) < 3000
    with pytest.raises(TabularError, match="more than 200,000 rows"):
        rows_of(stream)


def test_a_row_numbered_past_the_limit_is_refused_without_walking_the_gap():
    # No dimension to give it away: the row's own number must stop the read.
    stream = workbook(HEADER_ROW + '<row r="2">' + cell("A2", "Fire") + "</row>" + FAR_ROW)
    with pytest.raises(TabularError, match="more than 1,000 rows") as refused:
        rows_of(stream, max_rows=1000)
    assert refused.value.row == 1048576


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread():
    stream = workbook(HEADER_ROW, padding=2_000_000)
    assert len(stream.getvalue()) < 20_000
    with pytest.raises(TabularError, match="unpacks to more than"):
        rows_of(stream, max_unzipped_bytes=1_000_000)


def test_rows_within_the_limits_read_with_their_own_numbers():
    stream = workbook(HEADER_ROW + '<row r="3">' + cell("A3", "Fire") + "</row>", dimension="A1:A3")
    assert rows_of(stream, max_rows=5) == [(3, {"name": "Fire"})]


def test_a_csv_past_the_row_limit_writes_nothing(table):
    content = "name,sector,category\n" + "".join(f"Org {i},private,utility\n" for i in range(5))
    before = Organization.objects.count()
    report = OrganizationImporter(actor=table.cochair, community=table.community).run(
        io.BytesIO(content.encode()), "orgs.csv", max_rows=4
    )
    assert not report.ok
    assert "more than 4 rows" in report.errors[0].message
    assert Organization.objects.count() == before


def test_the_row_limit_is_a_setting(table, settings):
    settings.IMPORT_MAX_ROWS = 2
    content = "name,sector,category\n" + "".join(f"Org {i},private,utility\n" for i in range(3))
    report = OrganizationImporter(actor=table.cochair, community=table.community).run(
        io.BytesIO(content.encode()), "orgs.csv"
    )
    assert not report.ok and "more than 2 rows" in report.errors[0].message


class FailingOnThirdBatch(OrganizationImporter):
    batch_size = 2

    def write(self, rows, report):
        if any(row.values["name"] == "Org 4" for row in rows):
            raise ValidationError("refused by the database")
        super().write(rows, report)


@pytest.fixture
def undone(monkeypatch):
    """Record what the engine undoes: the (first, last) audit entries of each transaction it took back."""
    calls = []

    def recording_undo(written):
        calls.append(list(written))
        journal.undo(written)

    monkeypatch.setattr(engine, "undo", recording_undo)
    monkeypatch.setattr(engine, "YIELD_SECONDS", 0)
    return calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("undo_entries", [2000, 1])
def test_a_batch_that_fails_undoes_the_batches_written_before_it(table, undone, monkeypatch, undo_entries):
    # A transaction a batch, so that two are committed before the third fails; undone whole, or an entry at
    # a time.
    monkeypatch.setattr(engine, "WRITE_SLICE_SECONDS", 0)
    monkeypatch.setattr(journal, "UNDO_ENTRIES", undo_entries)
    existing = table.public_org
    existing_description = (existing.name, existing.employees, existing.city)
    content = (
        "name,sector,category,level,employees,city\n"
        f"{existing.name},public,fire,local,77,Elsewhere\n"
        + "".join(f"Org {i},private,utility,,{i},Town\n" for i in range(6))
    )
    organizations, entries = Organization.objects.count(), AuditEntry.objects.count()
    report = FailingOnThirdBatch(actor=table.cochair, community=table.community).run(
        io.BytesIO(content.encode()), "orgs.csv"
    )
    assert not report.ok
    assert "refused by the database" in str(report.errors[0])
    assert Organization.objects.count() == organizations
    assert AuditEntry.objects.count() == entries
    existing.refresh_from_db()
    assert (existing.name, existing.employees, existing.city) == existing_description
    assert not Organization.objects.filter(name__startswith="Org ").exists()
    if connection.vendor == "sqlite":
        assert len(undone) == 1 and len(undone[0]) == 2  # two committed batches were taken back
    else:
        assert undone == []  # PostgreSQL writes pass 2 in one transaction: rolled back, nothing to undo


@pytest.mark.django_db(transaction=True)
def test_the_batches_of_one_slice_are_one_transaction(table, undone, monkeypatch):
    monkeypatch.setattr(engine, "WRITE_SLICE_SECONDS", 10_000)
    content = "name,sector,category\n" + "".join(f"Org {i},private,utility\n" for i in range(6))
    organizations, entries = Organization.objects.count(), AuditEntry.objects.count()
    report = FailingOnThirdBatch(actor=table.cochair, community=table.community).run(
        io.BytesIO(content.encode()), "orgs.csv"
    )
    assert not report.ok
    assert (Organization.objects.count(), AuditEntry.objects.count()) == (organizations, entries)
    # The failed batch's transaction held the two before it: rolled back, no undo (on PostgreSQL the engine
    # takes no slices at all, so it never calls undo).
    assert undone == ([[]] if connection.vendor == "sqlite" else [])


@pytest.mark.django_db(transaction=True)
def test_a_good_file_outside_a_transaction_is_written_in_batches(table):
    content = "name,sector,category\n" + "".join(f"Org {i},private,utility\n" for i in range(7))
    importer = OrganizationImporter(actor=table.cochair, community=table.community)
    importer.batch_size = 2
    report = importer.run(io.BytesIO(content.encode()), "orgs.csv")
    assert report.ok and report.created == 7
    assert Organization.objects.in_community(table.community).filter(name__startswith="Org ").count() == 7
