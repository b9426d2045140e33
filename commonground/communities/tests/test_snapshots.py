"""The dashboard's cached snapshot of a community's progress (`communities.snapshots`): always what an uncached
build gives, whatever was written and however the clock moved; and nothing in it a plain member may not see."""

from __future__ import annotations

import datetime
import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from freezegun import freeze_time
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from commonground.agenda import services as agenda_services
from commonground.communities import services as community_services
from commonground.communities import snapshots
from commonground.communities.models import CoChair, Membership, ProgressStamp
from commonground.communities.tests.factories import MembershipFactory
from commonground.core import audit
from commonground.core.testing import page_client
from commonground.registry import services as registry_services
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory
from commonground.resources import services as resource_services
from commonground.risks import services as risk_services
from commonground.risks.models import Hazard
from commonground.sustainability import services as plan_services
from commonground.sustainability.models import Meeting, Task

pytestmark = pytest.mark.usefixtures("touch_at_once")

SCORES = dict(likelihood=3, impact_life_safety=2, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip
from commonground.agenda.tests.permission_rows import ISSUE  # noqa: E402

SECTORS = {
    "public": ("fire", "local"),
    "private": ("large_employer", ""),
    "nonprofit": ("red_cross_voluntary", ""),
}


def tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


def uncached_tables(community) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        snapshots.build(community)
    return set().union(*(tables_read(query["sql"]) for query in queries.captured_queries))


def test_every_table_an_uncached_snapshot_reads_has_an_invalidation_rule(table):
    """A new evaluator or panel that reads a table no rule keeps fresh fails here: add its rule to SOURCES
    (and check that the services writing that table audit their writes with the community)."""
    empty = uncached_tables(table.other_community)  # no answers: step 6 asks whether an assessment exists
    goal = plan_services.goal_create(actor=None, community=table.community, statement="G", measure="M",
                                     target_date=datetime.date(2099, 1, 1))  # fmt: skip
    plan_services.task_create(actor=None, goal=goal, title="T", owner_organization=table.public_org,
                              due_on=datetime.date(2099, 1, 1))  # fmt: skip
    full = uncached_tables(table.community)
    ruled = set(snapshots.source_tables())
    assert {"sustainability_task", "registry_organization", "communities_cochair"} <= full
    assert (empty | full) - ruled == set()


def test_a_snapshot_reads_the_tasks_and_the_seats_once(table):
    """Step 6 and the measures both count the tasks; the dashboard and the measures both count the seats."""
    with CaptureQueriesContext(connection) as queries:
        snapshots.build(table.community)
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum("sustainability_task" in text for text in sql) == 1
    assert (
        sum(
            'FROM "communities_membership"' in text and '"registry_organization"."sector"' in text
            for text in sql
        )
        == 1
    )


def test_the_guard_finds_a_table_without_a_rule(table, monkeypatch):
    monkeypatch.delitem(snapshots.SOURCES, "communities.cochair")
    assert uncached_tables(table.community) - set(snapshots.source_tables()) == {"communities_cochair"}


def test_a_community_without_a_stamp_is_built_every_time_and_a_write_stamps_it(table):
    community = table.community
    ProgressStamp.objects.filter(community=community).delete()
    assert snapshots.as_data(snapshots.snapshot(community)) == snapshots.as_data(snapshots.build(community))
    community_services.community_update(actor=None, community=community, data={"coverage_threshold": 10})
    assert ProgressStamp.objects.filter(community=community).exists()


def test_an_organization_s_write_draws_new_tokens_at_every_table_it_sits_at(table):
    MembershipFactory(community=table.other_community, organization=table.public_org)
    audit.touched_everything()
    before = dict(ProgressStamp.objects.values_list("community_id", "token"))
    registry_services.organization_update(actor=None, organization=table.public_org, data={"sector": "nonprofit",
                                          "level": "", "category": "red_cross_voluntary"})  # fmt: skip
    after = dict(ProgressStamp.objects.values_list("community_id", "token"))
    assert before[table.community.pk] != after[table.community.pk]
    assert before[table.other_community.pk] != after[table.other_community.pk]


MARKER = "zq-amber-marker-7"


def test_the_cached_snapshot_holds_nothing_a_plain_member_may_not_see(table):
    """Restricted records with a marker in every text a snapshot could carry: none of it is in the cache."""
    hazard = Hazard.objects.get(community=None, code="tornado")
    for marking in ("TLP:AMBER", "TLP:AMBER+STRICT"):
        resource_services.resource_create(
            actor=None, community=table.community, organization=table.private_org, kind="equipment",
            category="esf12", tlp=marking, name=f"Generator {MARKER}", description=MARKER,
        )  # fmt: skip
    risk_services.hazard_assessment_create(actor=None, community=table.community, organization=table.private_org,
                                           hazard=hazard, tlp="TLP:AMBER", notes=MARKER, **SCORES)  # fmt: skip
    page_client(table.member).get("/c/riverbend/")
    token = ProgressStamp.objects.get(community=table.community).token
    kept = cache.get(snapshots.cache_key(table.community, token))
    assert kept is not None
    assert MARKER.encode() not in pickle.dumps(kept)
    assert snapshots.as_data(kept) == snapshots.as_data(snapshots.build(table.community))


def measures_of(community):
    return next(shared for shared in snapshots.snapshot(community).panels if shared)["measures"]


def cached_is_built(community) -> None:
    for language in ("en", "es"):
        with translation.override(language):
            cached = snapshots.as_data(snapshots.snapshot(community))
            assert cached == snapshots.as_data(snapshots.build(community)), (community.slug, language)


def test_a_new_day_on_the_community_s_clock_makes_a_task_overdue_without_a_write(table):
    with freeze_time(datetime.datetime(2026, 4, 1, 3, 30, tzinfo=datetime.UTC)) as clock:  # 23:30 in Detroit
        community_services.community_update(actor=None, community=table.community,
                                            data={"time_zone": "America/Detroit"})  # fmt: skip
        goal = plan_services.goal_create(actor=None, community=table.community, statement="G", measure="M",
                                         target_date=datetime.date(2099, 1, 1))  # fmt: skip
        plan_services.task_create(actor=None, goal=goal, title="T", owner_organization=table.public_org,
                                  due_on=datetime.date(2026, 3, 31))  # fmt: skip
        cached_is_built(table.community)
        clock.tick(datetime.timedelta(hours=1))
        cached_is_built(table.community)
        assert measures_of(table.community).overdue == 1


def test_a_meeting_that_starts_counts_in_the_attendance_without_a_write(table):
    with freeze_time(datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)) as clock:
        meeting = plan_services.meeting_create(
            actor=None, community=table.community, kind="overview", title="Overview",
            starts_at=timezone.now() + datetime.timedelta(hours=1),
        )  # fmt: skip
        plan_services.attendance_record(actor=None, meeting=meeting, attendance={table.public_org: 2})
        cached_is_built(table.community)
        clock.tick(datetime.timedelta(hours=2))
        cached_is_built(table.community)
        assert [row["total"] for row in measures_of(table.community).attendance] == [1]


class SnapshotMachine(RuleBasedStateMachine):
    """Service writes and clock moves over two communities that share an organization; after each, each
    community's cached snapshot is what an uncached build gives, in English and in Spanish."""

    @initialize()
    def start(self):
        # Each example in a savepoint of its own, rolled back at its end: the next starts from the same database.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        cache.clear()
        # 23:30 on a quarter's last day in Detroit: an hour on, "overdue" and the quarters move by the clock alone.
        self.clock = freeze_time(datetime.datetime(2026, 4, 1, 3, 30, tzinfo=datetime.UTC))
        self.clock.start()
        self.communities = [
            community_services.community_create(
                actor=None,
                name=name,
                slug=name.lower(),
                kind="county",
                state="MI",
                center_latitude=42.7,
                center_longitude=-84.5,
                time_zone=zone,
            )  # fmt: skip
            for name, zone in (("Riverbend", "America/Detroit"), ("Elsewhere", "Pacific/Kiritimati"))
        ]
        public = OrganizationFactory(name="County Fire", sector="public", category="fire", level="local")
        shared = OrganizationFactory(name="Regional Power", sector="private", category="utility")
        own = OrganizationFactory(name="Corner Shop", sector="private", category="small_employer")
        self.organizations = [public, shared, own]
        for community in self.communities:
            for organization in (public, shared):
                community_services.membership_add(actor=None, community=community, organization=organization)
        self.people = [PersonFactory(organization=organization) for organization in self.organizations]
        self.hazards = list(Hazard.objects.filter(community=None).order_by("code")[:6])

    def teardown(self):
        self.clock.stop()
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def pick(self, data, options):
        return data.draw(st.sampled_from(options))

    def seated(self, community):
        seats = set(Membership.objects.filter(community=community).values_list("organization_id", flat=True))
        return [organization for organization in self.organizations if organization.pk in seats]

    @rule(data=st.data())
    def seat_or_unseat(self, data):
        community, organization = self.pick(data, self.communities), self.pick(data, self.organizations)
        membership = Membership.objects.filter(community=community, organization=organization).first()
        if membership is None:
            community_services.membership_add(actor=None, community=community, organization=organization)
        else:
            community_services.membership_remove(actor=None, membership=membership)

    @rule(data=st.data())
    def cochair_or_not(self, data):
        community, person = self.pick(data, self.communities), self.pick(data, self.people)
        person.refresh_from_db()
        cochair = CoChair.objects.filter(community=community, person=person).first()
        if cochair is not None:
            community_services.cochair_remove(actor=None, cochair=cochair)
        elif person.organization in self.seated(community):
            community_services.cochair_add(actor=None, community=community, person=person)

    @rule(data=st.data(), sector=st.sampled_from(sorted(SECTORS)))
    def change_sector(self, data, sector):
        organization = self.pick(data, self.organizations)
        category, level = SECTORS[sector]
        registry_services.organization_update(
            actor=None,
            organization=organization,
            data={"sector": sector, "category": category, "level": level},
        )

    @rule(data=st.data(), threshold=st.integers(1, 100))
    def change_thresholds(self, data, threshold):
        community = self.pick(data, self.communities)
        community_services.community_update(
            actor=None,
            community=community,
            data={"coverage_threshold": threshold, "assessment_threshold": threshold},
        )

    @rule(data=st.data(), adopt=st.booleans(), severity=st.integers(1, 5))
    def raise_and_endorse(self, data, adopt, severity):
        community = self.pick(data, self.communities)
        seated = self.seated(community)
        if not seated:
            return
        issue = agenda_services.issue_propose(
            actor=None, community=community, organization=self.pick(data, seated), severity=severity, **ISSUE
        )
        agenda_services.endorsement_save(
            actor=None, issue=issue, organization=self.pick(data, seated), severity=3
        )
        if adopt:
            agenda_services.issue_decide(actor=None, issue=issue, decision="adopt")

    @rule(data=st.data(), marking=st.sampled_from(["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"]),
          category=st.sampled_from(["esf1", "esf12"]))  # fmt: skip
    def record_resource(self, data, marking, category):
        community = self.pick(data, self.communities)
        seated = self.seated(community)
        if seated:
            resource_services.resource_create(
                actor=None, community=community, organization=self.pick(data, seated), kind="equipment",
                category=category, tlp=marking, name="Pump",
            )  # fmt: skip

    @rule(data=st.data(), marking=st.sampled_from(["TLP:GREEN", "TLP:AMBER"]))
    def assess_hazard(self, data, marking):
        community = self.pick(data, self.communities)
        seated = self.seated(community)
        if not seated:
            return
        organization, hazard = self.pick(data, seated), self.pick(data, self.hazards)
        from commonground.risks.models import HazardAssessment

        if not HazardAssessment.objects.filter(
            community=community, organization=organization, hazard=hazard
        ).exists():
            risk_services.hazard_assessment_create(actor=None, community=community, organization=organization,
                                                   hazard=hazard, tlp=marking, **SCORES)  # fmt: skip

    @rule(data=st.data(), due_in=st.integers(-3, 3))
    def plan_task(self, data, due_in):
        community = self.pick(data, self.communities)
        seated = self.seated(community)
        if not seated:
            return
        goal = plan_services.goal_create(actor=None, community=community, statement="G", measure="M",
                                         target_date=datetime.date(2099, 1, 1))  # fmt: skip
        plan_services.task_create(
            actor=None, goal=goal, title="T", owner_organization=self.pick(data, seated),
            due_on=timezone.localdate() + datetime.timedelta(days=due_in),
        )  # fmt: skip

    @rule(data=st.data())
    def finish_task(self, data):
        # a task handed back when its organization left is refused progress until it is handed out again
        # (sustainability's test_an_organization_removed_from_the_platform_leaves_its_tasks_ownerless)
        tasks = list(Task.objects.exclude(status="done").exclude(owner_organization=None).order_by("pk"))
        if tasks:
            plan_services.task_progress(actor=None, task=self.pick(data, tasks), status="done")

    @rule(data=st.data(), hours=st.sampled_from([-30, -1, 1, 2, 30]))
    def hold_meeting(self, data, hours):
        community = self.pick(data, self.communities)
        meeting = plan_services.meeting_create(
            actor=None, community=community, kind="overview", title="Overview",
            starts_at=timezone.now() + datetime.timedelta(hours=hours),
        )  # fmt: skip
        seated = self.seated(community)
        if seated:
            plan_services.attendance_record(actor=None, meeting=meeting, attendance={seated[0]: 2})

    @rule(data=st.data())
    def cancel_meeting(self, data):
        meetings = list(Meeting.objects.order_by("pk"))
        if meetings:
            plan_services.meeting_delete(actor=None, meeting=self.pick(data, meetings))

    @rule(hours=st.sampled_from([1, 2, 5, 24, 24 * 40, 24 * 95]))
    def clock_moves(self, hours):
        # Read while the clock is still frozen: read after `stop`, it was the real time plus the hours, and the
        # clock went back by hours or days, depending on when the test ran (a meeting held "an hour ago" was to
        # come again, which no clock does and a kept snapshot cannot know of).
        moved = timezone.now() + datetime.timedelta(hours=hours)
        self.clock.stop()
        self.clock = freeze_time(moved)
        self.clock.start()

    @invariant()
    def cached_equals_uncached(self):
        for community in self.communities:
            community.refresh_from_db()
            cached_is_built(community)


@pytest.mark.django_db
def test_the_cached_snapshot_is_an_uncached_build_after_any_writes_and_clock_moves():
    run_state_machine_as_test(
        SnapshotMachine,
        settings=settings(
            max_examples=20, stateful_step_count=10, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
