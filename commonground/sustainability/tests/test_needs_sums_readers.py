"""The needs profile of one reader never carries what another reader sees, nor what the reader saw before a change
of whom an answer names, of co-chairs or of seats (`sustainability.needs_sums`: a reader's correction is kept
under the reader's facts and the tokens of the reader's blocks; `communities.snapshots.kept_for_reader`)."""

from __future__ import annotations

import datetime
import pickle

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from commonground.communities import services as community_services
from commonground.communities.models import CoChair, Membership
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory
from commonground.sustainability import needs_sums
from commonground.sustainability import services as needs_services
from commonground.sustainability.priorities import gather_needs_profile, needs_profile

from .test_needs_sums_writes import the_same

pytestmark = pytest.mark.usefixtures("touch_at_once")

# Comments no reader but the answering organization's may ever be given (the figures carry none).
MARKER = "zq-needs-readers-marker"


@pytest.fixture
def one_block(monkeypatch):
    """Every organization in one block (PostgreSQL's ids do not start again in each test): the reader's block
    holds the marked answers."""
    monkeypatch.setattr(needs_sums, "BLOCK", 2**30)
    cache.clear()


def fresh(user):
    return viewer_for(get_user_model().objects.get(pk=user.pk))


def opened(table):
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    return assessment, assessment.items.order_by("pk").first()


def saver(assessment, item):
    def save(organization, level, tlp, named=()):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=tlp, recipient_organizations=named,
            answers=[{"item": item.pk, "level": level, "importance": level, "comment": f"{MARKER} {level}"}],
        )  # fmt: skip

    return save


def marked_organizations(table, count):
    found = [OrganizationFactory(name=f"Marked {n}", sector="private") for n in range(count)]
    for organization in found:
        Membership.objects.create(community=table.community, organization=organization)
    return found


def level_of(profile, item):
    assert MARKER.encode() not in pickle.dumps(profile)
    return next(n for n in profile.items if n.item.pk == item.pk).level


@pytest.mark.django_db
def test_naming_an_organization_no_more_takes_the_answer_from_its_readers_at_once(table, one_block):
    """An answer whose recipients alone change (same values, same marking) is a write: the reader no longer
    named stops seeing it on the next reading, kept or not; the reader named since sees it."""
    assessment, item = opened(table)
    save = saver(assessment, item)
    marked = marked_organizations(table, 2)
    save(table.private_org, 5, TLP.GREEN)
    save(marked[0], 1, TLP.AMBER, named=[table.private_org])
    save(marked[1], 3, TLP.AMBER)
    member, other = fresh(table.member), fresh(table.other_admin)
    assert level_of(needs_profile(viewer=member, assessment=assessment), item) == 3  # (5 + 1) / 2
    assert level_of(needs_profile(viewer=other, assessment=assessment), item) == 5
    save(marked[0], 1, TLP.AMBER, named=[table.public_org])  # its recipients alone change
    member, other = fresh(table.member), fresh(table.other_admin)
    assert level_of(needs_profile(viewer=member, assessment=assessment), item) == 5  # two hidden: withheld
    assert level_of(needs_profile(viewer=other, assessment=assessment), item) == 3
    for viewer in (member, other):
        the_same(viewer, assessment)


def own_and_two_amber(table, own_marking):
    """An assessment whose item the co-chair's organization answers 5 (marked `own_marking`), and two other
    organizations answer 1 and 2 as TLP:AMBER: the co-chair sees all three, a plain member its own alone."""
    assessment, item = opened(table)
    save = saver(assessment, item)
    marked = marked_organizations(table, 2)
    save(table.public_org, 5, own_marking)
    save(marked[0], 1, TLP.AMBER)
    save(marked[1], 2, TLP.AMBER)
    return assessment, item


@pytest.mark.django_db
def test_a_cochair_and_a_plain_member_of_one_organization_share_no_correction(table, one_block):
    """The co-chair sees the table's TLP:AMBER answers; a member of the same organization (the same blocks,
    the same tokens) sees only its own organization's: neither is given what was kept for the other, whichever
    reads first."""
    assessment, item = own_and_two_amber(table, TLP.AMBER)
    cochair, member = fresh(table.cochair), fresh(table.other_admin)
    assert cochair.organization_id == member.organization_id
    for reader, level in ((cochair, round(8 / 3, 2)), (member, 5), (cochair, round(8 / 3, 2)), (member, 5)):
        # its own answer and two hidden ones for the member: withheld; all three for the co-chair
        assert level_of(gather_needs_profile(viewer=reader, assessment=assessment), item) == level
        the_same(reader, assessment)


@pytest.mark.django_db
def test_a_cochair_stepping_down_or_up_reads_as_its_seat_lets_it_at_once(table, one_block):
    """No write at the reader's blocks between the readings: what it saw as co-chair is not given to it as a
    member, nor the other way round."""
    assessment, item = own_and_two_amber(table, TLP.GREEN)
    assert level_of(needs_profile(viewer=fresh(table.cochair), assessment=assessment), item) == round(
        8 / 3, 2
    )
    seat = CoChair.objects.get(community=table.community, person=table.cochair.person)
    community_services.cochair_remove(actor=None, cochair=seat)
    assert level_of(needs_profile(viewer=fresh(table.cochair), assessment=assessment), item) == 5
    the_same(fresh(table.cochair), assessment)
    community_services.cochair_add(actor=None, community=table.community, person=table.cochair.person)
    assert level_of(needs_profile(viewer=fresh(table.cochair), assessment=assessment), item) == round(
        8 / 3, 2
    )
    the_same(fresh(table.cochair), assessment)


@pytest.mark.django_db
def test_a_marking_or_a_seat_changed_at_the_readers_block_reaches_it_at_once(table, one_block):
    """An answer narrowed from TLP:GREEN to TLP:AMBER, and an organization leaving the table, at the reader's
    own block: the reader's kept correction is not used again."""
    assessment, item = opened(table)
    save = saver(assessment, item)
    marked = marked_organizations(table, 2)
    save(table.private_org, 5, TLP.GREEN)
    save(marked[0], 1, TLP.GREEN)
    member = fresh(table.member)
    assert level_of(gather_needs_profile(viewer=member, assessment=assessment), item) == 3
    save(marked[0], 1, TLP.AMBER)  # one hidden organization: withheld
    assert level_of(gather_needs_profile(viewer=member, assessment=assessment), item) == 5
    save(marked[0], 1, TLP.GREEN)
    save(marked[1], 3, TLP.GREEN)
    assert level_of(gather_needs_profile(viewer=member, assessment=assessment), item) == 3
    seat = Membership.objects.get(community=table.community, organization=marked[0])
    community_services.membership_remove(actor=None, membership=seat)
    assert level_of(gather_needs_profile(viewer=member, assessment=assessment), item) == 4
    the_same(member, assessment)
