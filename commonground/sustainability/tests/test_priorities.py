"""The priority score and the needs profile, worked through, with the withholding rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from commonground.communities.models import Membership
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory
from commonground.sustainability import services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.priorities import needs_profile, priority_score


def test_the_priority_score_worked_through():
    # 100 x (4.5 / 5) x (3 / 4) x (0.5 + 0.5 x 0.75) = 100 x 0.9 x 0.75 x 0.875
    assert priority_score(4.5, 2.0, 0.75) == 59.1
    # 100 x 0.6 x 0.25 x 0.625
    assert priority_score(3.0, 4.0, 0.25) == 9.4
    assert priority_score(5.0, 5.0, 1.0) == 0.0  # fully in place: no need, however important
    assert priority_score(5.0, 1.0, 1.0) == 100.0


@pytest.fixture
def assessment(table):
    return services.assessment_open(
        actor=table.cochair,
        community=table.community,
        title="2027 needs",
        closes_on=datetime.date(2099, 1, 1),
    )


def seat(table, name, sector="private"):
    organization = OrganizationFactory(name=name, sector=sector, level="local" if sector == "public" else "")
    Membership.objects.create(community=table.community, organization=organization)
    return organization


def answer(assessment, organization, item, level, importance, tlp=TLP.AMBER):
    return services.answers_save(
        actor=None, assessment=assessment, organization=organization, tlp=tlp,
        answers=[{"item": item.pk, "level": level, "importance": importance, "poete": "training"}],
    )  # fmt: skip


def test_the_profile_ranks_needs_and_withholds_what_rests_on_one_or_two_organizations(table, assessment):
    first, second = list(assessment.items.all()[:2])
    b1, b2 = seat(table, "B1"), seat(table, "B2")
    # First item: four organizations; the member (Great Lakes) sees its own, three others' are restricted.
    for organization, level, importance in [
        (table.private_org, 2, 5),
        (table.public_org, 1, 4),
        (b1, 3, 5),
        (b2, 2, 4),
    ]:
        answer(assessment, organization, first, level, importance)
    # Second item: one other organization's AMBER answer only.
    answer(assessment, table.public_org, second, 4, 3)
    profile = needs_profile(viewer=viewer_for(table.member), assessment=assessment)
    needs = {n.item.pk: n for n in profile.items}
    need = needs[first.pk]
    # importance 4.5, level 2.0, all four below the importance they give it: 100 x 0.9 x 0.75 x 1.0
    assert (need.importance, need.level, need.with_need, need.organizations) == (4.5, 2.0, 4, 4)
    assert need.score == 67.5 and need.poete == [("training", 4)]
    assert (need.public_level, need.private_level) == (1.0, round(7 / 3, 2))  # public: 1; private: 2, 3, 2
    assert needs[second.pk].withheld and needs[second.pk].score is None
    assert [n.item.pk for n in profile.ranked] == [first.pk]
    assert profile.marking == TLP.GREEN and profile.answering_organizations == 4
    cochair = needs_profile(viewer=viewer_for(table.cochair), assessment=assessment)
    second_need = next(n for n in cochair.items if n.item.pk == second.pk)
    assert not second_need.withheld and cochair.marking == TLP.AMBER  # rests on one AMBER answer


def test_answers_are_saved_all_or_none(table, assessment):
    item = assessment.items.first()
    with pytest.raises(ValidationError):
        services.answers_save(
            actor=table.admin, assessment=assessment, organization=table.private_org,
            answers=[{"item": item.pk, "level": 2, "importance": 3}, {"item": item.pk + 999, "level": 1, "importance": 1}],
        )  # fmt: skip
    assert not NeedsAnswer.objects.exists()
