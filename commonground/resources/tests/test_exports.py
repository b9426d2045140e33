import io
import json

from openpyxl import load_workbook

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.resources.imports import ResourceImporter
from commonground.resources.models import Resource

from .factories import ResourceFactory


def test_geojson_holds_only_what_the_reader_may_see_with_the_narrowest_marking(table):
    ResourceFactory(
        name="Shared pump", community=table.community, organization=table.private_org, tlp=TLP.GREEN
    )
    ResourceFactory(
        name="Own stock", community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT
    )
    ResourceFactory(
        name="Unplaced",
        community=table.community,
        organization=table.private_org,
        latitude=None,
        longitude=None,
    )
    own = page_client(table.member).get("/c/riverbend/resources/export.geojson")
    data = json.loads(b"".join(own.streaming_content))
    assert own["X-TLP"] == data["tlp"] == TLP.AMBER_STRICT
    assert sorted(f["properties"]["name"] for f in data["features"]) == ["Own stock", "Shared pump"]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [-84.55, 42.73]}
    other = page_client(table.other_admin).get("/c/riverbend/resources/export.geojson")
    data = json.loads(b"".join(other.streaming_content))
    assert [f["properties"]["name"] for f in data["features"]] == ["Shared pump"]
    assert data["tlp"] == TLP.GREEN


def test_an_xlsx_export_imports_back_unchanged(table):
    ResourceFactory(name="=cmd|' /C calc'!A0", community=table.community, organization=table.private_org)
    ResourceFactory(
        name="Forklift",
        community=table.community,
        organization=table.public_org,
        capacity=None,
        capacity_unit="",
    )
    exported = page_client(table.cochair).get("/c/riverbend/export/resources.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert any(str(cell.value).startswith("'=") for row in sheet.iter_rows() for cell in row)
    report = ResourceImporter(actor=table.cochair, community=table.community).run(
        io.BytesIO(exported.content), "resources.xlsx"
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 2
    assert Resource.objects.filter(name="=cmd|' /C calc'!A0").exists()
