"""A community's times are entered, shown and exported on its own clock and stored as the instant (UTC)."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from commonground.communities.models import Community
from commonground.core.services import SYSTEM
from commonground.core.testing import page_client
from commonground.incidents.tests.factories import make_incident
from commonground.sustainability import services
from commonground.sustainability.calendar import feed_token
from commonground.sustainability.exports import meetings_export
from commonground.sustainability.models import Meeting

UTC = datetime.UTC
DETROIT = zoneinfo.ZoneInfo("America/Detroit")


@pytest.fixture
def detroit(table):
    Community.objects.filter(pk=table.community.pk).update(time_zone="America/Detroit")
    table.community.refresh_from_db()
    return table


@pytest.mark.parametrize(
    ("entered", "stored", "zone_name"),
    [("2027-07-14T09:00", datetime.datetime(2027, 7, 14, 13, 0, tzinfo=UTC), "EDT"),
     ("2027-01-13T09:00", datetime.datetime(2027, 1, 13, 14, 0, tzinfo=UTC), "EST")],
)  # fmt: skip
def test_a_meeting_entered_at_nine_in_detroit_is_stored_in_utc_and_shown_at_nine(
    detroit, entered, stored, zone_name
):
    cochair = page_client(detroit.cochair)
    form = cochair.get("/c/riverbend/meetings/new/").content.decode()
    assert "Local time, America/Detroit." in form
    response = cochair.post("/c/riverbend/meetings/new/", {
        "kind": "tabletop", "title": "Ice storm tabletop", "starts_at": entered, "ends_at": entered[:-5] + "12:00",
        "location": "EOC", "scenario": "Freezing rain",
    })  # fmt: skip
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == stored and meeting.ends_at == stored + datetime.timedelta(hours=3)
    page = cochair.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"{entered[:10]} 09:00–12:00 {zone_name}" in page
    edit = cochair.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert f'value="{entered}"' in edit
    # The zone was the page's only: the thread goes back to UTC for whatever it serves next.
    assert timezone.get_current_timezone_name() == "UTC"


def test_the_calendar_feed_gives_the_instant_in_utc(detroit):
    cochair = page_client(detroit.cochair)
    cochair.post(
        "/c/riverbend/meetings/new/",
        {"kind": "meeting", "title": "Quarterly", "starts_at": "2027-07-14T09:00"},
    )
    token = feed_token(user=detroit.member, community=detroit.community)
    body = page_client(detroit.member).get(f"/calendar/{token}.ics").content
    assert b"DTSTART:20270714T130000Z" in body and b"DTEND:20270714T150000Z" in body
    event = next(
        c for c in Calendar.from_ical(body).walk("VEVENT") if str(c["summary"]).startswith("Quarterly")
    )
    assert event["dtstart"].dt.astimezone(DETROIT).hour == 9


def test_exports_name_the_zone_and_give_the_community_clock(detroit):
    services.meeting_create(actor=detroit.cochair, community=detroit.community, kind="meeting", title="Quarterly",
                            starts_at=datetime.datetime(2027, 7, 14, 13, 0, tzinfo=UTC))  # fmt: skip
    csv = page_client(detroit.member).get("/c/riverbend/export/meetings.csv").content.decode("utf-8-sig")
    header, row = csv.splitlines()[:2]
    assert "starts_at (America/Detroit)" in header and "2027-07-14 09:00" in row
    # The `export` command activates no zone: it writes the same clock.
    export = meetings_export(viewer=SYSTEM, community=detroit.community)
    assert (
        export.header[2] == "starts_at (America/Detroit)" and next(iter(export.rows))[2] == "2027-07-14 09:00"
    )


def test_a_page_outside_the_community_address_shows_its_records_community_clock(detroit):
    incident = make_incident(detroit.community, detroit.public_org,
                             started_at=datetime.datetime(2027, 7, 14, 13, 30, tzinfo=UTC))  # fmt: skip
    page = page_client(detroit.cochair).get(f"/incidents/{incident.pk}/").content.decode()
    assert '<time datetime="2027-07-14T09:30:00-04:00">July 14, 2027 09:30</time>' in page
