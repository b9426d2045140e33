"""The needs profile from the kept block sums (`sustainability.needs_sums`) is the profile summed from every
answer, for every kind of reader, after any sequence of writes; and no write leaves a block's sums unstamped
(a state machine of writes; `test_needs_sums.py` holds the rest)."""

from __future__ import annotations

import datetime
import pickle

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
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
from commonground.sustainability.models import NeedsAnswer, NeedsItem
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


# What the kept sums read, row by row (and a reader's correction: whom an answer names): a change to any of
# these rows must draw new tokens for its block.
def rows_read() -> dict[str, dict]:
    through = NeedsAnswer.recipient_organizations.through.objects
    return {
        "named": {
            (n[0], n[1]): n[2:]
            for n in through.values_list(
                "needsanswer_id",
                "organization_id",
                "needsanswer__organization_id",
                "needsanswer__community_id",
            )
        },
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
            if old == new or (table == "named" and pk[1] not in after["organization"]):
                continue  # (an organization deleted: it reads nothing, nor do its people)
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
