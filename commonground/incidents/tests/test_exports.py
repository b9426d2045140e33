"""The incidents' exports: requests and commitments as CSV and XLSX, an incident's map as GeoJSON; each holds only
what the reader may see and is marked with the narrowest marking of what it holds."""

import csv
import datetime
import io
import json
import zoneinfo

import pytest
from openpyxl import load_workbook

from commonground.core.testing import api_client, page_client
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState
from commonground.incidents.exports import COMMITMENT_COLUMNS, REQUEST_COLUMNS, TIME_COLUMNS
from commonground.resources.tests.factories import ResourceFactory

from .alerting import URLS
from .records import assign, open_incident, post_request

# The alerts link to the incident's pages: their addresses, until urls.py includes the incidents app.
pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def download(user, kind, fmt="csv"):
    response = page_client(user).get(f"/c/riverbend/export/{kind}.{fmt}")
    assert response.status_code == 200, response.status_code
    return response


def zoned(columns, zone="America/New_York") -> list[str]:
    return [f"{name} ({zone})" if name in TIME_COLUMNS else name for name in columns]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_requests_export_holds_what_the_reader_may_see_marked_with_the_narrowest_marking(table):
    green = open_incident(table, title="Green incident")
    amber = open_incident(table, title="Amber incident", tlp=TLP.AMBER)
    post_request(green, table.private_org, description="Cots", accepted_terms=["loan", "donation"])
    post_request(green, table.public_org, description="Their draft", submit=False)
    post_request(amber, table.public_org, description="Light towers")
    member = download(table.member, "resource_requests")
    assert member["X-TLP"] == TLP.GREEN
    rows = csv_rows(member)
    zone = table.community.time_zone
    assert list(rows[0]) == zoned(REQUEST_COLUMNS, zone)
    assert [(r["incident"], r["incident_title"], r["request"], r["description"]) for r in rows] == [
        ("riverbend-1", "Green incident", "riverbend-1-1", "Cots")
    ]
    assert rows[0]["accepted_terms"] == "loan;donation"
    needed_by = rows[0][f"needed_by ({zone})"]
    assert needed_by[:4].isdigit() and len(needed_by) == 16  # the community's clock, to the minute
    cochair = download(table.cochair, "resource_requests")
    assert cochair["X-TLP"] == TLP.AMBER
    assert sorted(r["description"] for r in csv_rows(cochair)) == ["Cots", "Light towers", "Their draft"]


def test_the_requests_workbook_carries_its_marking(table):
    post_request(open_incident(table, tlp=TLP.AMBER), table.public_org, description="=HYPERLINK(1)")
    response = download(table.cochair, "resource_requests", "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.oddHeader.center.text == TLP.AMBER == response["X-TLP"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == zoned(REQUEST_COLUMNS, table.community.time_zone)
    assert rows[1][REQUEST_COLUMNS.index("description")] == "'=HYPERLINK(1)"  # never run as a formula


def test_the_commitments_export_leaves_out_resources_the_reader_may_not_see(table):
    incident = open_incident(table)
    request = post_request(incident, table.private_org, description="Generators")
    shared = ResourceFactory(
        community=table.community, organization=table.private_org, tlp=TLP.GREEN, name="Shared"
    )
    strict = ResourceFactory(
        community=table.community, organization=table.public_org, tlp=TLP.AMBER_STRICT, name="Strict"
    )
    assign(request, shared, state=AssignmentState.ACCEPTED, quantity=2)
    assign(request, strict, state=AssignmentState.RELEASED)
    assign(request, shared, state=AssignmentState.PENDING)  # not yet a commitment
    member = download(table.member, "commitments")
    assert member["X-TLP"] == TLP.GREEN
    rows = csv_rows(member)
    assert list(rows[0]) == zoned(COMMITMENT_COLUMNS, table.community.time_zone)
    assert [(r["request"], r["resource"], r["quantity"], r["state"], r["distance_km"]) for r in rows] == [
        ("riverbend-1-1", "Shared", "2", "accepted", "1.2")
    ]
    fire = download(table.other_admin, "commitments", "xlsx")
    assert fire["X-TLP"] == TLP.AMBER_STRICT
    sheet = load_workbook(io.BytesIO(fire.content)).worksheets[0]
    assert sorted(row[4] for row in list(sheet.iter_rows(values_only=True))[1:]) == ["Shared", "Strict"]


def test_another_communitys_export_is_not_found(table):
    assert page_client(table.outsider).get("/c/riverbend/export/resource_requests.csv").status_code == 404
    assert page_client(table.outsider).get("/c/riverbend/export/commitments.xlsx").status_code == 404


def test_the_geojson_download_is_named_and_marked(table):
    incident = open_incident(table, tlp=TLP.AMBER)
    response = api_client(table.cochair).get(f"/api/v1/incidents/{incident.pk}/geojson/")
    assert isinstance(response["X-TLP"], str) and response["X-TLP"] == TLP.AMBER
    assert response["Content-Disposition"] == 'attachment; filename="riverbend-1-TLP-AMBER.geojson"'
    assert json.loads(response.content)["tlp"] == TLP.AMBER
    assert api_client(table.member).get(f"/api/v1/incidents/{incident.pk}/geojson/").status_code == 404


def test_the_times_of_an_export_are_on_the_communitys_clock_and_its_zone_named(table):
    table.community.time_zone = "America/Detroit"
    table.community.save(update_fields=["time_zone"])
    incident = open_incident(table)
    request = post_request(incident, table.private_org, description="Cots")
    moment = datetime.datetime(2026, 7, 4, 13, 0, tzinfo=datetime.UTC)  # 09:00 in Detroit (EDT)
    type(request).objects.filter(pk=request.pk).update(needed_by=moment)
    rows = csv_rows(download(table.member, "resource_requests"))
    assert rows[0]["needed_by (America/Detroit)"] == "2026-07-04 09:00"
    assert moment.astimezone(zoneinfo.ZoneInfo("America/Detroit")).hour == 9
