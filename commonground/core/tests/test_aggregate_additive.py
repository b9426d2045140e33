"""Sums that add up (`core.aggregates.additive`): what a reader's class sees is what the marking's rule lets a
reader of that kind see of a record no one names it on; the sums are refused where they could not add up."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db.models import F

from commonground.communities.models import CoChair, Membership
from commonground.core.aggregates import MEAN, Measure, additive
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.core.visibility import ANONYMOUS
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from commonground.risks.models import HazardAssessment
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.priorities import needs_measures

MARKINGS = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT]


def readers(table):
    """Every kind of reader: a visitor, an outsider, a member, a co-chair, a co-chair elsewhere who is no member
    here, a facilitator with an organization and one without."""
    elsewhere_chair = UserFactory()
    PersonFactory(organization=table.outside_org, user=elsewhere_chair)
    CoChair.objects.create(community=table.other_community, person=elsewhere_chair.person)
    seated_facilitator = UserFactory(is_facilitator=True)
    PersonFactory(organization=table.outside_org, user=seated_facilitator)
    users = [
        table.outsider,
        table.member,
        table.cochair,
        elsewhere_chair,
        table.facilitator,
        seated_facilitator,
    ]
    return [ANONYMOUS, *(viewer_for(user) for user in users)]


def test_a_class_sees_what_the_rule_shows_a_reader_of_an_organization_no_record_names(table):
    """One answer of each marking at each of two communities, of an organization none of the readers belongs
    to and named on none: each reader sees it exactly when `class_sees` says its class does."""
    owner = OrganizationFactory(name="Owner", sector="private")
    answers = []
    for community in (table.community, table.other_community):
        Membership.objects.create(community=community, organization=owner)
        assessment = needs_services.needs_assessment_open(
            actor=None, community=community, title="N", closes_on=datetime.date(2099, 1, 1)
        )
        for marking, item in zip(MARKINGS, assessment.items.order_by("pk"), strict=False):
            answers.append(
                NeedsAnswer.objects.create(
                    community=community, organization=owner, item=item, level=2, importance=4, tlp=marking
                )
            )
    for viewer, answer in itertools.product(readers(table), answers):
        seen = NeedsAnswer.objects.visible_to(viewer).filter(pk=answer.pk).exists()
        assert seen == additive.class_sees(viewer, answer.community_id, answer.tlp), (viewer, answer.tlp)


def test_a_needs_answer_names_no_person():
    """The reader's corrections read again the blocks of the reader's organization and of those naming it;
    a record about a person, or naming people, would need the reader's person too."""
    options = NeedsAnswer.objects.none()._options()
    assert options["person"] is None and options["recipient_people"] is None
    assert options["community"] == "community"
    assert not NeedsAnswer._meta.get_field("community").null


def test_sums_that_would_not_add_up_are_refused(table):
    """An organization may hold two hazard assessments of one hazard (at two tables): its records in a group
    are not one, so counting records would not count organizations."""
    with pytest.raises(ValueError):
        additive.block_sums(HazardAssessment.objects.all(), {}, "hazard_id", block_size=8)
    with pytest.raises(ValueError):
        additive.block_sums(
            NeedsAnswer.objects.all(),
            {"m": Measure(MEAN, F("level") * 2)},
            "item_id",
            block_size=8,
        )
    found = additive.block_sums(NeedsAnswer.objects.all(), needs_measures(), "item_id", block_size=8)
    assert found == ([], {})
