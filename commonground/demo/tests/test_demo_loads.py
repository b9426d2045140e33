"""The demo community loads and a tiny synthetic region seeds, and every community page of either answers.

The pages are the permission matrix's rows that take no key but the community's, so a new page is
visited here without a new line.
"""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import User
from commonground.communities.models import Community, Membership
from commonground.core.testing import page_names, rows
from commonground.demo import demo_data
from commonground.incidents.choices import RequestState
from commonground.incidents.models import Alert, Incident, ResourceRequest
from commonground.incidents.tests.alerting import assert_valid_cap
from commonground.newsletters.models import Newsletter
from commonground.resources.models import Resource
from commonground.risks.models import HazardAssessment
from commonground.socialcapital.models import NetworkSnapshot
from commonground.sustainability.models import Attendance, Goal, Meeting, NeedsAssessment, Task

# A day years after this code was written: a date fixed in the code would have aged by then.
LATER = datetime.timedelta(days=3 * 365 + 47)


@pytest.fixture
def years_later(monkeypatch):
    """Load the demo as if on a day years from now (every clock of the project reads `timezone.now`)."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + LATER)


def community_pages(slug: str) -> list[str]:
    """Return the path of every page a co-chair may open that names no record but the community."""
    _api, pages = rows()
    found = []
    for name in sorted(page_names()):
        build, method, expected = pages[name]
        if method != "GET" or expected["cochair"] != 200:
            continue
        try:
            path = build(None)
        except AttributeError:  # the row needs one of the world's records
            continue
        found.append(path.replace("/c/riverbend/", f"/c/{slug}/").replace("/p/riverbend/", f"/p/{slug}/"))
    return found


def assert_dated_from_today(community: Community) -> None:
    """The demo's dates count from the day it is loaded: its needs assessment is open, its plan ahead."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(community.time_zone))
    near = datetime.timedelta(days=800)  # the demo's two years of history, and its plan ahead
    assessment = NeedsAssessment.objects.get(community=community)
    assert assessment.opens_on <= today <= assessment.closes_on and assessment.is_open
    targets = (
        Goal.objects.filter(community=community).exclude(needs=None).values_list("target_date", flat=True)
    )
    assert targets and all(today < target < today + near for target in targets), (today, list(targets))
    due = list(Task.objects.filter(goal__community=community).values_list("due_on", flat=True))
    assert due and all(abs(day - today) < near for day in due), (today, due)
    verified = Resource.objects.filter(community=community).values_list("verified_on", flat=True)
    assessed = HazardAssessment.objects.filter(community=community).values_list("assessed_on", flat=True)
    for day in [*verified, *assessed]:
        assert today - near < day <= today, (today, day)
    starts = Meeting.objects.filter(community=community).values_list("starts_at", flat=True)
    assert all(abs(moment - timezone.now()) < near for moment in starts)


def assert_attended_by_the_seated(community: Community) -> None:
    """A meeting was attended only by organizations at the table by its day."""
    seated_at = dict(Membership.objects.filter(community=community).values_list("organization_id", "created"))
    rows = Attendance.objects.filter(meeting__community=community).select_related("meeting", "organization")
    late = [
        (row.meeting.title, row.organization.name)
        for row in rows
        if seated_at[row.organization_id] > row.meeting.starts_at
    ]
    assert not late, late


def assert_every_page_answers(client: Client, slug: str) -> None:
    """Every page answers 200; those of a credential program the community has not set up may also be not
    found (its keys, its bundle, enrolment) or refused (activating it), never an error; and the public newsletter
    pages of a community that has published none are not found."""
    from commonground.credentials.models import Program

    pages = community_pages(slug)
    assert len(pages) > 20, pages
    answers = {path: client.get(path).status_code for path in pages}
    if not Program.objects.filter(community__slug=slug).exists():
        credential_pages = [path for path in answers if path.startswith(f"/c/{slug}/credentials/")]
        assert credential_pages and all(answers.pop(path) in (200, 403, 404) for path in credential_pages)
    if not Newsletter.objects.public().filter(community__slug=slug).exists():
        # A community with no public edition has no public newsletter pages (they would name it to anyone).
        assert all(
            answers.pop(path) == 404 for path in list(answers) if path.startswith(f"/p/{slug}/newsletters/")
        )
    failing = {path: status for path, status in answers.items() if status != 200}
    assert not failing, f"pages of {slug} that do not answer 200: {failing}"


@pytest.mark.django_db
def test_the_demo_loads_and_every_page_answers_its_cochair(years_later):
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert demo_data.demo_exists()
    call_command("demo", "--no-serve", stdout=io.StringIO())  # a second run leaves it as it is
    client = Client()
    client.force_login(User.objects.get(username="cochair.public"))
    assert_every_page_answers(client, demo_data.SLUG)
    # The incidents: a closed storm ten weeks back and an exercise under way, their alerts valid CAP 1.2.
    storm, exercise = Incident.objects.order_by("number")
    assert (storm.status, exercise.is_exercise, exercise.is_open) == ("closed", True, True)
    assert storm.summary["gaps"] and storm.closed_at < timezone.now() - datetime.timedelta(days=60)
    states = set(ResourceRequest.objects.values_list("state", flat=True))
    assert states == set(RequestState.values), states
    for alert in Alert.objects.all():
        assert_valid_cap(alert.xml)
    assert client.get(storm.get_absolute_url()).status_code == 200
    # The credential program: credentials issued, one refused, the program active now and valid online.
    from commonground.credentials.models import Credential, Nomination
    from commonground.credentials.verification import verify

    issued = list(Credential.objects.filter(community__slug=demo_data.SLUG, status="active"))
    assert (
        len(issued) >= 2
        and Nomination.objects.filter(community__slug=demo_data.SLUG, status="refused").exists()
    )
    assert {
        verify(Community.objects.get(slug=demo_data.SLUG), credential.code).result for credential in issued
    } == {"valid"}
    for credential in issued:
        assert client.get(credential.get_absolute_url()).status_code == 200
    # Regression: the workshops and the tabletop were seeded at the server's hour (03:00 in Michigan).
    community = Community.objects.get(slug=demo_data.SLUG)
    assert community.time_zone == "America/Detroit"
    zone = zoneinfo.ZoneInfo("America/Detroit")
    for meeting in Meeting.objects.filter(community=community):
        for moment in filter(None, (meeting.starts_at, meeting.ends_at)):
            assert 9 <= moment.astimezone(zone).hour <= 17, (meeting.title, moment)
    # Regression: the needs assessment and the goals had fixed dates (2026, 2027) and aged; the workshops
    # and the tabletop were attended by organizations that joined the table after them.
    assert_dated_from_today(community)
    assert_attended_by_the_seated(community)
    workshops = Meeting.objects.filter(
        community=community, kind__in=["overview", "kickoff", "status", "tabletop"]
    )
    assert all(meeting.attendance.exists() for meeting in workshops)
    # The network measured month by month: the table and its ties grew, and every kind of record adds ties.
    snapshots = list(NetworkSnapshot.objects.filter(community=community).order_by("month"))
    assert len(snapshots) == 24
    assert snapshots[0].measures["organizations"] < snapshots[-1].measures["organizations"]
    latest = snapshots[-1].measures
    assert latest["ties"] > 20 and 0 < latest["bridging"]["share"] < 1, latest["bridging"]
    assert {"invitation", "meeting", "endorsement", "goal"} <= set(latest["tie_types"]), latest["tie_types"]
    # Newsletters: last month's sent to the table (a delivery each, all sent) and published; a draft pre-filled.
    sent, draft = Newsletter.objects.filter(community=community).order_by("created")
    assert sent.status == "sent" and sent.public and sent.deliveries.count() > 10
    assert set(sent.deliveries.values_list("status", flat=True)) == {"sent"}
    assert draft.status == "draft" and draft.sections.exists()
    assert client.get(f"/p/{demo_data.SLUG}/newsletters/{sent.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_tiny_region_seeds_and_every_page_answers(table, years_later):
    out = io.StringIO()
    call_command("seed", "--organizations", "4", "--people", "1", "--resources", "1", "--verbosity", "0",
                 "--prefix", "tiny", stdout=out)  # fmt: skip
    assert "tiny-1: 4 organizations" in out.getvalue()
    region = Community.objects.get(slug="tiny-1")
    assert_dated_from_today(region)
    assert_attended_by_the_seated(region)  # its table sat down today: nobody came to the past workshops
    client = Client()
    client.force_login(table.facilitator)  # the seeded region has no co-chair who signs in
    assert_every_page_answers(client, "tiny-1")
