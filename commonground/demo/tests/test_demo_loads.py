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
from commonground.communities.models import Community
from commonground.core.testing import page_names, rows
from commonground.demo import demo_data
from commonground.incidents.choices import RequestState
from commonground.incidents.models import Alert, Incident, ResourceRequest
from commonground.incidents.tests.alerting import assert_valid_cap
from commonground.sustainability.models import Meeting


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
        found.append(path.replace("/c/riverbend/", f"/c/{slug}/"))
    return found


def assert_every_page_answers(client: Client, slug: str) -> None:
    pages = community_pages(slug)
    assert len(pages) > 20, pages
    failing = {path: status for path in pages if (status := client.get(path).status_code) != 200}
    assert not failing, f"pages of {slug} that do not answer 200: {failing}"


@pytest.mark.django_db
def test_the_demo_loads_and_every_page_answers_its_cochair():
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
    # Regression: the workshops and the tabletop were seeded at the server's hour (03:00 in Michigan).
    community = Community.objects.get(slug=demo_data.SLUG)
    assert community.time_zone == "America/Detroit"
    zone = zoneinfo.ZoneInfo("America/Detroit")
    for meeting in Meeting.objects.filter(community=community):
        for moment in filter(None, (meeting.starts_at, meeting.ends_at)):
            assert 9 <= moment.astimezone(zone).hour <= 17, (meeting.title, moment)


@pytest.mark.django_db
def test_a_tiny_region_seeds_and_every_page_answers(table):
    out = io.StringIO()
    call_command("seed", "--organizations", "4", "--people", "1", "--resources", "1", "--verbosity", "0",
                 "--prefix", "tiny", stdout=out)  # fmt: skip
    assert "tiny-1: 4 organizations" in out.getvalue()
    client = Client()
    client.force_login(table.facilitator)  # the seeded region has no co-chair who signs in
    assert_every_page_answers(client, "tiny-1")
