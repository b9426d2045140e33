"""The needs profile from the kept block sums (`sustainability.needs_sums`) is the profile summed from every
answer, for every kind of reader, after any sequence of writes; and no write leaves a block's sums unstamped."""

from __future__ import annotations

import datetime
import pickle
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from commonground.communities import services as community_services
from commonground.communities.models import CoChair, Membership
from commonground.communities.tests.factories import CommunityFactory
from commonground.core import audit
from commonground.core.aggregates import disclosed_figures
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.core.visibility import ANONYMOUS
from commonground.registry import services as registry_services
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from commonground.sustainability import needs_sums
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer, NeedsItem, NeedsSums, NeedsSumsStamp
from commonground.sustainability.priorities import gather_needs_profile, needs_measures

pytestmark = pytest.mark.usefixtures("touch_at_once")

MARKINGS = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT]
MARKER = "zq-needs-sums-marker"
SECTORS = {
    "public": ("fire", "local"),
    "private": ("large_employer", ""),
    "nonprofit": ("red_cross_voluntary", ""),
}


def profile_data(profile):
    return (
        profile.marking,
        profile.answering_organizations,
        [
            (
                n.item.pk,
                n.organizations,
                n.with_need,
                n.importance,
                n.level,
                n.public_level,
                n.private_level,
                n.poete,
            )
            for n in profile.items
        ],
    )


def answers_of(assessment):
    from django.db.models import F

    return lambda: NeedsAnswer.objects.submitted().filter(
        item__assessment=assessment.pk, organization__memberships__community_id=F("community_id")
    )


def the_same(viewer, assessment) -> None:
    """The kept figures are the direct ones, figure by figure (value, markings, how many left out)."""
    answers, measures = answers_of(assessment), needs_measures()
    kept, answering = needs_sums.kept_figures(viewer, assessment, answers, measures, None)
    direct = disclosed_figures(answers, viewer, measures, group_by="item_id")
    items = list(assessment.items.values_list("pk", flat=True))
    assert {i: kept[i] for i in items} == {i: direct[i] for i in items}
    from commonground.core.aggregates import count_organizations

    assert answering == disclosed_figures(answers, viewer, {"a": count_organizations()})[None]["a"]
    kept_profile = gather_needs_profile(viewer=viewer, assessment=assessment)
    assert profile_data(kept_profile) == profile_data(
        gather_needs_profile(viewer=viewer, assessment=assessment, direct=True)
    )
    assert MARKER.encode() not in pickle.dumps(kept_profile)


# What the kept sums read, row by row: a change to any of these rows must draw new tokens for its block.
def rows_read() -> dict[str, dict]:
    return {
        "answer": {
            a[0]: a[1:]
            for a in NeedsAnswer.objects.values_list(
                "pk",
                "organization_id",
                "community_id",
                "item_id",
                "tlp",
                "level",
                "importance",
                "poete",
                "draft",
            )
        },
        "membership": {
            m[0]: m[1:] for m in Membership.objects.values_list("pk", "organization_id", "community_id")
        },
        "organization": {o[0]: (o[0], None, o[1]) for o in Organization.objects.values_list("pk", "sector")},
        "item": {i[0]: i[1:] for i in NeedsItem.objects.values_list("pk", "assessment__community_id")},
    }


def changed_blocks(before: dict, after: dict) -> set[tuple]:
    """(community or None for every one, block or None for every one) that the changed rows need new tokens for."""
    needed = set()
    for table in before:
        for pk in before[table].keys() | after[table].keys():
            old, new = before[table].get(pk), after[table].get(pk)
            if old == new:
                continue
            for row in (old, new):
                if row is None:
                    continue
                if table == "item":
                    needed.add((row[0], None))
                else:
                    needed.add((row[1], needs_sums.block_of(row[0])))
    return needed


def covered(needed: set[tuple], bumps: list[tuple]) -> bool:
    def covers(bump, need):
        communities, blocks = bump
        community, block = need
        return (communities is None or community in communities) and (
            blocks is None or (block is not None and block in blocks)
        )

    return all(any(covers(b, n) for b in bumps) for n in needed)


class NeedsSumsMachine(RuleBasedStateMachine):
    """Answers saved (marked, named, drafted), items and answers deleted, seats and co-chairs changed, sectors
    changed; after each, every reader's kept figures are the direct ones, and every changed row's block was
    drawn a new token."""

    bumps: list = []

    @initialize()
    def start(self):
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        cache.clear()
        self.community = CommunityFactory(slug="sums", name="Sums")
        self.elsewhere = CommunityFactory(slug="sums-elsewhere", name="Elsewhere")
        sectors = ["public", "private", "nonprofit", "private", "public", "private", "nonprofit"]
        self.organizations = [OrganizationFactory(name=f"Org {n}", sector=s) for n, s in enumerate(sectors)]
        for organization in self.organizations[:6]:
            Membership.objects.create(community=self.community, organization=organization)
        Membership.objects.create(community=self.elsewhere, organization=self.organizations[6])
        self.users = {"facilitator": UserFactory(is_facilitator=True)}
        for role, organization in (("member", 0), ("co-chair", 1), ("other", 3), ("outsider", 6)):
            self.users[role] = UserFactory()
            PersonFactory(organization=self.organizations[organization], user=self.users[role])
        CoChair.objects.create(community=self.community, person=self.users["co-chair"].person)
        self.assessment = needs_services.needs_assessment_open(
            actor=None, community=self.community, title="Needs", closes_on=datetime.date(2099, 1, 1)
        )
        self.items = list(self.assessment.items.order_by("pk")[:4])
        self.assessment.items.exclude(pk__in=[i.pk for i in self.items]).delete()
        audit.touched_everything()
        self.before = rows_read()
        NeedsSumsMachine.bumps.clear()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def seated(self):
        seats = set(
            Membership.objects.filter(community=self.community).values_list("organization_id", flat=True)
        )
        return [o for o in self.organizations if o.pk in seats]

    def viewers(self):
        User = get_user_model()
        return [ANONYMOUS] + [viewer_for(User.objects.get(pk=user.pk)) for user in self.users.values()]

    @rule(
        data=st.data(),
        marking=st.sampled_from(MARKINGS),
        levels=st.lists(
            st.tuples(st.integers(0, 3), st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=4
        ),
        draft=st.booleans(),
        named=st.lists(st.integers(0, 6), max_size=2),
    )
    def answer(self, data, marking, levels, draft, named):
        seated = self.seated()
        if not seated:
            return
        organization = data.draw(st.sampled_from(seated))
        items = [i for i in self.items if NeedsItem.objects.filter(pk=i.pk).exists()]
        answers = {}
        for index, level, importance in levels:
            if items:
                item = items[index % len(items)]
                answers[item.pk] = {"item": item.pk, "level": level, "importance": importance,
                                    "poete": data.draw(st.sampled_from(["", "planning", "training"])),
                                    "comment": f"{MARKER} {marking}"}  # fmt: skip
        if answers:
            needs_services.needs_answers_save(
                actor=None, assessment=self.assessment, organization=organization, tlp=marking, draft=draft,
                answers=list(answers.values()), recipient_organizations=[o for o in (self.organizations[n] for n in named) if o in self.existing()],
            )  # fmt: skip

    @rule(data=st.data())
    def delete_answers_unaudited(self, data):
        """Records written with no entry (an import undone, a restore) are followed by `touched_everything`."""
        answers = list(NeedsAnswer.objects.order_by("pk").values_list("pk", flat=True))
        if answers:
            NeedsAnswer.objects.filter(pk=data.draw(st.sampled_from(answers))).delete()
            audit.touched_everything()

    @rule(data=st.data())
    def delete_item(self, data):
        items = list(NeedsItem.objects.filter(assessment=self.assessment).order_by("pk"))
        if len(items) > 1:
            needs_services.item_delete(actor=None, item=data.draw(st.sampled_from(items)))

    def existing(self):
        kept = set(Organization.objects.values_list("pk", flat=True))
        return [o for o in self.organizations if o.pk in kept]

    @rule(data=st.data())
    def delete_organization(self, data):
        """An organization no reader belongs to: its answers go with it (the entry names it alone)."""
        readers = {self.organizations[n].pk for n in (0, 1, 3, 6)}
        chosen = [o for o in self.existing() if o.pk not in readers]
        if chosen:
            organization = data.draw(st.sampled_from(chosen))
            registry_services.organization_delete(actor=self.users["facilitator"], organization=organization)

    @rule(data=st.data())
    def seat_or_unseat(self, data):
        organization = data.draw(st.sampled_from(self.existing()))
        membership = Membership.objects.filter(community=self.community, organization=organization).first()
        if membership is None:
            community_services.membership_add(actor=None, community=self.community, organization=organization)
        else:
            community_services.membership_remove(actor=None, membership=membership)

    @rule()
    def cochair_or_not(self):
        person = self.users["co-chair"].person
        cochair = CoChair.objects.filter(community=self.community, person=person).first()
        if cochair is not None:
            community_services.cochair_remove(actor=None, cochair=cochair)
        elif Membership.objects.filter(
            community=self.community, organization=person.organization_id
        ).exists():
            community_services.cochair_add(actor=None, community=self.community, person=person)

    @rule(data=st.data(), sector=st.sampled_from(sorted(SECTORS)))
    def change_sector(self, data, sector):
        organization = data.draw(st.sampled_from(self.existing()))
        category, level = SECTORS[sector]
        registry_services.organization_update(
            actor=None,
            organization=organization,
            data={"sector": sector, "category": category, "level": level},
        )

    @invariant()
    def kept_is_direct_and_every_change_drew_its_tokens(self):
        after = rows_read()
        assert covered(changed_blocks(self.before, after), NeedsSumsMachine.bumps)
        self.before = after
        NeedsSumsMachine.bumps.clear()
        for viewer in self.viewers():
            the_same(viewer, self.assessment)


@pytest.mark.django_db
def test_the_kept_figures_are_the_direct_ones_after_any_writes(monkeypatch):
    bump = needs_sums.bump

    def recorded(communities, blocks):
        NeedsSumsMachine.bumps.append(
            (None if communities is None else set(communities), None if blocks is None else set(blocks))
        )
        bump(communities, blocks)

    monkeypatch.setattr(needs_sums, "BLOCK", 2)
    monkeypatch.setattr(needs_sums, "bump", recorded)
    run_state_machine_as_test(
        NeedsSumsMachine,
        settings=settings(
            max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )


def tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


@pytest.mark.django_db
def test_every_table_the_kept_sums_read_has_a_rule(table):
    """A measure or a condition that reads another table fails here: add its rule to SOURCES (and check that
    the services writing that table audit their writes with the organizations they change)."""
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.first()
    needs_services.needs_answers_save(
        actor=None, assessment=assessment, organization=table.public_org, tlp=TLP.AMBER,
        answers=[{"item": item.pk, "level": 2, "importance": 4}], recipient_organizations=[table.private_org],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        needs_sums.class_sums(assessment, answers_of(assessment), needs_measures(), None, again=True)
    read = set().union(*(tables_read(query["sql"]) for query in queries.captured_queries))
    assert {"sustainability_needsanswer", "registry_organization", "communities_membership"} <= read
    ruled = {apps.get_model(label)._meta.db_table for label in needs_sums.SOURCES}
    own = {NeedsSums._meta.db_table, NeedsSumsStamp._meta.db_table}
    assert (read & set(connection.introspection.table_names())) - ruled - own == set()


@pytest.mark.django_db
def test_marker_values_of_two_organizations_never_reach_a_member_whatever_was_kept_before(table):
    """Two organizations' TLP:AMBER answers carry a level of 1 no one else gives: the co-chair reads them first
    (the sums are kept then), the member after; the member's level is its own organization's 5 until a third
    organization's restricted answer stands beside them, and counts a naming organization's as seen."""
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.order_by("pk").first()
    marked = [OrganizationFactory(name=f"Marked {n}", sector="private") for n in range(3)]
    for organization in marked:
        Membership.objects.create(community=table.community, organization=organization)

    def save(organization, level, tlp, named=()):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=tlp, recipient_organizations=named,
            answers=[{"item": item.pk, "level": level, "importance": level, "comment": MARKER}],
        )  # fmt: skip

    def level(user):
        profile = gather_needs_profile(
            viewer=viewer_for(get_user_model().objects.get(pk=user.pk)), assessment=assessment
        )
        assert MARKER.encode() not in pickle.dumps(profile)
        return next(n for n in profile.items if n.item.pk == item.pk).level

    save(table.private_org, 5, TLP.GREEN)
    save(marked[0], 1, TLP.AMBER)
    save(marked[1], 1, TLP.AMBER)
    assert level(table.cochair) == round(7 / 3, 2)
    assert level(table.member) == 5
    save(marked[1], 1, TLP.AMBER, named=[table.private_org])  # the member sees it now; one left hidden
    assert level(table.cochair) == round(7 / 3, 2)
    assert level(table.member) == 3
    save(marked[2], 1, TLP.AMBER_STRICT)  # two hidden beside the named one: still withheld
    assert level(table.member) == 3
    save(marked[1], 1, TLP.AMBER)  # three hidden: they count, as three organizations' answers
    assert level(table.member) == 2
    for viewer in (viewer_for(get_user_model().objects.get(pk=u.pk)) for u in (table.member, table.cochair)):
        the_same(viewer, assessment)


@pytest.mark.django_db
def test_at_a_community_no_write_has_stamped_every_reading_sums_the_answers(
    table, django_capture_on_commit_callbacks
):
    """Until a write's callbacks stamp the community (never, in a test's transaction unless run), no block's
    token would be drawn anew: nothing is kept, and each reading sees the last write."""
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.order_by("pk").first()
    viewer = viewer_for(table.cochair)
    for level in (2, 4):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=table.public_org, tlp=TLP.AMBER,
            answers=[{"item": item.pk, "level": level, "importance": 5}],
        )  # fmt: skip
        profile = gather_needs_profile(viewer=viewer, assessment=assessment)
        assert next(n for n in profile.items if n.item.pk == item.pk).level == level
    assert not NeedsSums.objects.exists()


@pytest.mark.django_db
def test_the_first_reading_after_a_write_at_one_organization_costs_the_same_whatever_the_answers(
    table, monkeypatch
):
    """Its statements read the changed block and the reader's, whatever the number of organizations."""
    from django.db.models import Count

    monkeypatch.setattr(needs_sums, "BLOCK", 4)
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    items = list(assessment.items.order_by("pk")[:3])
    viewer = viewer_for(table.member)

    def answer(organization, level):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=TLP.AMBER,
            answers=[{"item": item.pk, "level": level, "importance": 4} for item in items],
        )  # fmt: skip

    def grow(count):
        for n in range(count):
            organization = OrganizationFactory(
                name=f"Grown {Organization.objects.count()} {n}", sector="private"
            )
            Membership.objects.create(community=table.community, organization=organization)
            answer(organization, 1 + n % 5)

    def first_reading_after_a_write(level: int) -> int:
        gather_needs_profile(viewer=viewer, assessment=assessment)
        answer(table.public_org, level)
        with CaptureQueriesContext(connection) as queries:
            gather_needs_profile(viewer=viewer, assessment=assessment)
        return len(queries.captured_queries)

    answer(table.public_org, 1)  # its block holds answers before each write: its old sums are read
    grow(6)
    small = first_reading_after_a_write(2)
    grow(40)
    assert first_reading_after_a_write(3) == small
    rows = NeedsSums.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1)
    assert not rows.exists()
