"""The page's lists read by kept SQL (core.kept_rows): each reader gets the rows of their own lists, never those of
the SQL kept for another, and the values a list compares with (the day, the clock, the viewer's tables) move it."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import DateTimeField
from django.utils import timezone
from freezegun import freeze_time

from commonground.communities.tests.factories import MembershipFactory
from commonground.core.kept_rows import Slot, forget_kept_rows, kept_rows
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.incidents.tests.records import open_incident
from commonground.mywork import selectors
from commonground.resources.tests.factories import ResourceFactory
from commonground.sustainability.models import Meeting, NeedsAssessment

from .test_my_work import plant

pytestmark = pytest.mark.django_db

RED = "zqRedResourceMarker51"
STRICT = "zqStrictIncidentMarker52"


@pytest.fixture(autouse=True)
def _fresh():
    forget_kept_rows()
    yield
    forget_kept_rows()


def _restricted(table):
    """A stale TLP:RED resource of the private organization named for its member alone, and a TLP:AMBER+STRICT
    incident of the public organization: the member and its admin share every fact but their person."""
    red = ResourceFactory(name=f"Pump {RED}", community=table.community, organization=table.private_org,
                          tlp=TLP.RED, verified_on=timezone.localdate() - datetime.timedelta(days=400))  # fmt: skip
    red.recipient_people.add(table.member.person)
    open_incident(table, title=f"Spill {STRICT}", tlp=TLP.AMBER_STRICT)


# Who sees which marker on the page: the resource's named person; the incident's owning organization.
SEES = {
    "member": {RED},
    "admin": set(),
    "cochair": {STRICT},
    "other_admin": {STRICT},
    "facilitator": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("first", ["member", "cochair", "admin"])
def test_each_reader_in_turn_sees_their_own_lists_and_never_those_kept_for_another(table, first):
    plant(table)
    _restricted(table)
    readers = [first, *(role for role in SEES if role != first)]
    for _round in range(2):
        for role in readers:
            body = page_client(table.user(role)).get("/my-work/").content.decode()
            for marker in (RED, STRICT):
                assert (marker in body) == (marker in SEES[role]), (role, marker)


@pytest.mark.parametrize("role", list(SEES))
def test_each_list_read_by_kept_sql_is_its_selectors_own(table, role):
    """The kept SQL gives, row for row and in order, what the selector's queryset gives; so does its second
    reading, from the kept statement."""
    plant(table, 3)
    _restricted(table)
    MembershipFactory(community=table.other_community, organization=table.private_org)
    viewer = viewer_for(table.user(role))
    communities = list(selectors.my_communities(viewer=viewer))
    now = timezone.now()
    expected = {
        "tasks": selectors.my_tasks(viewer=viewer),
        "votes": selectors.open_votes(viewer=viewer),
        "needs": selectors.unanswered_needs_assessments(viewer=viewer),
        "hazards": selectors.tables_without_hazard_assessment(viewer=viewer),
        "resources": selectors.stale_resources(viewer=viewer),
        "invitations": selectors.invitations_sent(viewer=viewer),
        "meetings": selectors.meetings_coming(viewer=viewer, since=now),
        "incidents": selectors.incidents_open(viewer=viewer, communities=communities),
    }
    for _reading in range(2):
        with freeze_time(now):
            kept_communities, sections = selectors.my_work(viewer=viewer)
        assert [c.pk for c in kept_communities] == [c.pk for c in communities]
        for name, queryset in expected.items():
            listed = [row.pk for row in queryset[: selectors.LIMIT]]
            assert [row.pk for row in sections[name].rows] == listed, name


def test_a_table_the_organization_joins_shows_its_work_at_once(client, table):
    Meeting.objects.create(community=table.other_community, kind="meeting", title="Elsewhere's meeting",
                           starts_at=timezone.now() + datetime.timedelta(days=2))  # fmt: skip
    assert "Elsewhere&#x27;s meeting" not in page_client(table.member).get("/my-work/").content.decode()
    MembershipFactory(community=table.other_community, organization=table.private_org)
    body = page_client(table.member).get("/my-work/").content.decode()
    assert "Elsewhere&#x27;s meeting" in body and 'href="/c/elsewhere/"' in body


def test_the_meetings_window_moves_with_the_clock(table):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=60)
    Meeting.objects.create(community=table.community, kind="meeting", title="Planning", starts_at=start)

    def shown(at) -> bool:
        with freeze_time(at):
            body = page_client(table.member).get("/my-work/").content.decode()
        return "Planning" in body

    assert not shown(start - datetime.timedelta(days=31))
    assert shown(start - datetime.timedelta(days=29))
    assert shown(start)
    assert not shown(start + datetime.timedelta(seconds=1))


def test_a_needs_assessment_shows_from_the_day_it_opens(table):
    opens = timezone.localdate() + datetime.timedelta(days=3)
    NeedsAssessment.objects.create(community=table.community, title="Next round", opens_on=opens,
                                   closes_on=opens + datetime.timedelta(days=30))  # fmt: skip

    def shown(day) -> bool:
        with freeze_time(datetime.datetime.combine(day, datetime.time(12))):
            return "Next round" in page_client(table.admin).get("/my-work/").content.decode()

    assert not shown(opens - datetime.timedelta(days=1))
    assert shown(opens)


def test_a_resource_turns_stale_as_the_days_pass(table, settings):
    verified = timezone.localdate()
    ResourceFactory(name="Fresh pump", community=table.community, organization=table.private_org,
                    verified_on=verified)  # fmt: skip

    def shown(day) -> bool:
        with freeze_time(datetime.datetime.combine(day, datetime.time(12))):
            return "Fresh pump" in page_client(table.member).get("/my-work/").content.decode()

    assert not shown(verified + datetime.timedelta(days=settings.RESOURCE_STALE_DAYS))
    assert shown(verified + datetime.timedelta(days=settings.RESOURCE_STALE_DAYS + 1))


def test_a_slot_is_given_its_value_each_time_and_a_missing_one_raises(table):
    since = Slot("since")
    start = timezone.now() + datetime.timedelta(days=1)
    Meeting.objects.create(community=table.community, kind="meeting", title="Soon", starts_at=start)

    def build():
        return Meeting.objects.filter(starts_at__gte=since.expression(DateTimeField())).only("title")

    assert [m.title for m in kept_rows("soon", build, since=start)] == ["Soon"]
    assert kept_rows("soon", build, since=start + datetime.timedelta(seconds=1)) == []
    with pytest.raises(ValueError, match="slot 'since'"):
        kept_rows("soon", build)


def test_a_list_that_can_match_nothing_is_kept_empty(table, settings):
    settings.KEPT_SQL_CHECK = False  # it counts builds; the check builds each read again
    calls = []

    def build():
        calls.append(1)
        return Meeting.objects.none()

    assert kept_rows("nothing", build) == kept_rows("nothing", build) == []
    assert len(calls) == 1
